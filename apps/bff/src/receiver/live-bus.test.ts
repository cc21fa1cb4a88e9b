import type { AuditEvent } from '@auditorium/audit-model';
import { describe, expect, test } from 'vitest';
import { createInProcessLiveBus, type LiveEvent, type LiveMessage } from './live-bus.ts';

const liveEvent = (index: number, namespace = 'demo'): LiveEvent => ({
  event: { AuditID: `id-${index}`, ObjectRef: { Namespace: namespace } } as AuditEvent,
  archived: true,
  alerted: false,
  matchedRules: ['archiving'],
});
const batch = (from: number, count: number) => Array.from({ length: count }, (_, offset) => liveEvent(from + offset));
const ids = (messages: LiveMessage[]) =>
  messages.flatMap((message) =>
    message.type === 'events' ? message.events.map((event) => event.event.AuditID) : [`dropped ${message.count}`],
  );

async function readAvailable(subscription: AsyncIterable<LiveMessage>, count: number): Promise<LiveMessage[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const messages: LiveMessage[] = [];
  for (let index = 0; index < count; index++) {
    const next = await iterator.next();
    if (next.done) break;
    messages.push(next.value);
  }
  return messages;
}

describe('in-process live bus', () => {
  test('delivers each publish to a waiting subscriber as one message, in order', async () => {
    const bus = createInProcessLiveBus();
    const subscription = bus.subscribe();
    const reading = readAvailable(subscription, 2);
    bus.publish(batch(0, 3));
    bus.publish(batch(3, 2));
    expect(ids(await reading)).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4']);
    subscription.close();
  });

  test('gives a slow subscriber a "dropped N" marker where it lost events, and never buffers more than its limit', async () => {
    let droppedTotal = 0;
    const bus = createInProcessLiveBus({ onDropped: (count) => (droppedTotal += count) });
    const slow = bus.subscribe({ bufferSize: 5 });
    const fast = bus.subscribe({ bufferSize: 1000 });
    const fastSeen: string[] = [];
    const fastReader = (async () => {
      for await (const message of fast) fastSeen.push(...ids([message]));
    })();

    // The slow subscriber reads nothing while 10 000 events are published in batches of 400.
    for (let from = 0; from < 10_000; from += 400) {
      bus.publish(batch(from, Math.min(400, 10_000 - from)));
      await new Promise(setImmediate);
    }
    // Only its 5 buffered events and one coalesced marker are held for it.
    const slowMessages = await readAvailable(slow, 2);
    expect(ids(slowMessages)).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4', 'dropped 9995']);
    expect(droppedTotal).toBe(9995);

    // Having caught up, it receives new events again, after the marker.
    bus.publish(batch(20_000, 2));
    expect(ids(await readAvailable(slow, 1))).toEqual(['id-20000', 'id-20001']);

    // The fast subscriber saw everything, unaffected by the slow one.
    fast.close();
    await fastReader;
    expect(fastSeen.filter((id) => id.startsWith('id-')).length).toBe(10_002);
    expect(fastSeen.some((id) => id.startsWith('dropped'))).toBe(false);
    slow.close();
  });

  test('applies a subscriber filter before buffering', async () => {
    const bus = createInProcessLiveBus();
    const subscription = bus.subscribe({
      bufferSize: 2,
      filter: (event) => event.event.ObjectRef?.Namespace === 'kept',
    });
    bus.publish([liveEvent(1, 'other'), liveEvent(2, 'kept'), liveEvent(3, 'other'), liveEvent(4, 'kept')]);
    expect(ids(await readAvailable(subscription, 1))).toEqual(['id-2', 'id-4']);
    subscription.close();
  });

  test('ends iteration when the subscription or the bus closes, and forgets the subscriber', async () => {
    const bus = createInProcessLiveBus();
    const first = bus.subscribe();
    const second = bus.subscribe();
    expect(bus.subscriberCount()).toBe(2);
    const pending = first[Symbol.asyncIterator]().next();
    first.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount()).toBe(1);
    bus.close();
    expect(await second[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount()).toBe(0);
  });

  test('unsubscribes when a for-await loop is left early', async () => {
    const bus = createInProcessLiveBus();
    const subscription = bus.subscribe();
    bus.publish(batch(0, 1));
    for await (const message of subscription) {
      expect(message.type).toBe('events');
      break;
    }
    expect(bus.subscriberCount()).toBe(0);
  });
});
