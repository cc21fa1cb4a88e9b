import type { AuditEvent } from '@auditorium/audit-model';
import { describe, expect, test } from 'vitest';
import { createInProcessLiveBus, type LiveEvent } from '../receiver/live-bus.ts';
import { type JournalMessage, type JournalSubscription, LiveJournal, parsePosition } from './live-journal.ts';

function liveEvent(auditId: string, namespace = 'demo'): LiveEvent {
  const event: AuditEvent = {
    AuditID: auditId,
    Stage: 'ResponseComplete',
    Level: 'Metadata',
    Verb: 'create',
    RequestURI: `/api/v1/namespaces/${namespace}/configmaps`,
    User: { username: 'admin', groups: ['system:authenticated'] },
    SourceIPs: ['127.0.0.1'],
    ObjectRef: { Resource: 'configmaps', Namespace: namespace, Name: auditId, APIVersion: 'v1' },
    ResponseStatus: { code: 201 },
    RequestReceivedTimestamp: '2024-05-01T12:00:00.123456Z',
    StageTimestamp: '2024-05-01T12:00:00.223456Z',
    Workspace: '',
    Devops: '',
    Cluster: '',
    Message: '',
    Source: 'kubernetes',
  };
  return { event, archived: true, alerted: false, matchedRules: ['archiving'] };
}

async function take(subscription: JournalSubscription, count: number): Promise<JournalMessage[]> {
  const messages: JournalMessage[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  let events = 0;
  while (events < count) {
    const next = await iterator.next();
    if (next.done) break;
    messages.push(next.value);
    events += next.value.type === 'events' ? next.value.events.length : 1;
  }
  return messages;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('live journal', () => {
  test('numbers events in order and hands them to subscribers that pass the filter', async () => {
    const bus = createInProcessLiveBus();
    const journal = new LiveJournal(bus);
    const { subscription, replay } = journal.subscribe((event) => event.event.ObjectRef?.Namespace === 'demo');
    expect(replay).toBeUndefined();
    bus.publish([liveEvent('a'), liveEvent('b', 'other'), liveEvent('c')]);
    const [message] = await take(subscription, 2);
    expect(message).toMatchObject({ type: 'events', events: [{ seq: 1 }, { seq: 3 }] });
    const ids = message?.type === 'events' ? message.events.map((event) => journal.idOf(event)) : [];
    expect(ids.map((id) => parsePosition(id)?.seq)).toEqual([1, 3]);
    journal.close();
  });

  test('replays what a reconnecting viewer missed from the ring, then continues live', async () => {
    const bus = createInProcessLiveBus();
    const journal = new LiveJournal(bus);
    bus.publish([liveEvent('a'), liveEvent('b'), liveEvent('c')]);
    await settle();
    const first = journal.subscribe(() => true).subscription;
    first.close();
    const lastSeen = journal.idOf({ ...liveEvent('a'), seq: 1 });
    const { subscription, replay } = journal.subscribe(() => true, { lastEventId: lastSeen });
    expect(replay).toMatchObject({ kind: 'ring', events: [{ seq: 2 }, { seq: 3 }] });
    bus.publish([liveEvent('d')]);
    expect(await take(subscription, 1)).toMatchObject([{ type: 'events', events: [{ seq: 4 }] }]);
    journal.close();
  });

  test.each([
    { name: 'an id from an earlier process', lastEventId: 'zzz.2.1714564800123', reason: 'restarted' },
    { name: 'an id older than the ring', lastEventId: undefined, reason: 'overflowed' },
  ])('reports a gap for $name, with the time to search the archive from', async ({ lastEventId, reason }) => {
    const bus = createInProcessLiveBus();
    const journal = new LiveJournal(bus, { ringSize: 2 });
    bus.publish([liveEvent('a'), liveEvent('b'), liveEvent('c'), liveEvent('d')]);
    await settle();
    const id = lastEventId ?? journal.idOf({ ...liveEvent('a'), seq: 1 });
    const { replay } = journal.subscribe(() => true, { lastEventId: id });
    expect(replay).toEqual({ kind: 'gap', reason, sinceMs: Date.parse('2024-05-01T12:00:00.123Z') });
    journal.close();
  });

  test('a viewer that falls behind gets a dropped marker instead of growing memory', async () => {
    const bus = createInProcessLiveBus();
    const journal = new LiveJournal(bus);
    const { subscription } = journal.subscribe(() => true, { bufferSize: 2 });
    const iterator = subscription[Symbol.asyncIterator]();
    bus.publish([liveEvent('a'), liveEvent('b'), liveEvent('c'), liveEvent('d'), liveEvent('e')]);
    await settle();
    expect((await iterator.next()).value).toMatchObject({ type: 'events', events: [{ seq: 1 }, { seq: 2 }] });
    expect((await iterator.next()).value).toEqual({ type: 'dropped', count: 3 });
    journal.close();
  });
});
