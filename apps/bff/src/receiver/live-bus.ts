import type { AuditEvent } from '@auditorium/audit-model';
import type { DropReason } from './metrics.ts';

/**
 * Fan-out of received events to live viewers (the console's SSE stream). Every received event is
 * published, archived or not, marked with what the receiver did with it, because the live view exists to
 * show what happens. The bus is an interface so a multi-replica implementation (PostgreSQL LISTEN/NOTIFY
 * or similar) can replace the in-process one without touching publishers or subscribers.
 */
export interface LiveEvent {
  event: AuditEvent;
  archived: boolean;
  alerted: boolean;
  /** Names of the rules that matched, archiving or alerting. */
  matchedRules: string[];
  /** Why the event was not archived; absent when it was. */
  dropReason?: DropReason;
}

/** What a subscriber reads: events in order, and a marker where it fell behind and lost some. */
export type LiveMessage = { type: 'events'; events: LiveEvent[] } | { type: 'dropped'; count: number };

export interface SubscribeOptions {
  /** Applied at publish time, so filtered-out events never take buffer space. */
  filter?: (event: LiveEvent) => boolean;
  /** Events buffered for this subscriber before it starts losing them. */
  bufferSize?: number;
}

/** Iterate with `for await`; leaving the loop (or `close()`) unsubscribes. */
export interface LiveSubscription extends AsyncIterable<LiveMessage> {
  close(): void;
}

export interface LiveBus {
  publish(events: LiveEvent[]): void;
  subscribe(options?: SubscribeOptions): LiveSubscription;
  subscriberCount(): number;
  /** Ends every subscription. */
  close(): void;
}

export interface InProcessLiveBusOptions {
  defaultBufferSize?: number;
  /** Told how many events a slow subscriber lost, for a metric. */
  onDropped?: (count: number) => void;
}

type Segment = { type: 'events'; events: LiveEvent[] } | { type: 'dropped'; count: number };

/**
 * One subscriber's bounded buffer. Consecutive events share a segment and consecutive losses share one
 * `dropped` marker, so the buffer never holds more than `capacity` events and `capacity + 1` markers,
 * however far behind the reader is. A read takes the whole first segment: a reader that keeps up gets
 * each publish as one message, a slow one gets big messages rather than many small ones.
 */
class Subscriber implements LiveSubscription {
  readonly filter: ((event: LiveEvent) => boolean) | undefined;
  private readonly capacity: number;
  private readonly segments: Segment[] = [];
  private buffered = 0;
  private waiting: ((result: IteratorResult<LiveMessage>) => void) | undefined;
  private closed = false;
  private readonly onClose: (subscriber: Subscriber) => void;
  private readonly onDropped: ((count: number) => void) | undefined;

  constructor(
    options: SubscribeOptions,
    capacity: number,
    onClose: (subscriber: Subscriber) => void,
    onDropped?: (count: number) => void,
  ) {
    this.filter = options.filter;
    this.capacity = Math.max(1, capacity);
    this.onClose = onClose;
    this.onDropped = onDropped;
  }

  deliver(events: LiveEvent[]): void {
    if (this.closed || events.length === 0) return;
    if (this.waiting && this.segments.length === 0) {
      // A reader is already waiting: hand the events over without buffering them.
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ done: false, value: { type: 'events', events } });
      return;
    }
    const room = this.capacity - this.buffered;
    const kept = room >= events.length ? events : events.slice(0, Math.max(0, room));
    if (kept.length > 0) {
      const last = this.segments.at(-1);
      if (last?.type === 'events') for (const event of kept) last.events.push(event);
      else this.segments.push({ type: 'events', events: [...kept] });
      this.buffered += kept.length;
    }
    const lost = events.length - kept.length;
    if (lost > 0) {
      const last = this.segments.at(-1);
      if (last?.type === 'dropped') last.count += lost;
      else this.segments.push({ type: 'dropped', count: lost });
      this.onDropped?.(lost);
    }
    this.wake();
  }

  private wake(): void {
    if (!this.waiting) return;
    const segment = this.segments.shift();
    if (!segment) return;
    if (segment.type === 'events') this.buffered -= segment.events.length;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve({ done: false, value: segment });
  }

  next(): Promise<IteratorResult<LiveMessage>> {
    if (this.waiting) return Promise.reject(new Error('a live subscription has one reader at a time'));
    const segment = this.segments.shift();
    if (segment) {
      if (segment.type === 'events') this.buffered -= segment.events.length;
      return Promise.resolve({ done: false, value: segment });
    }
    if (this.closed) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.segments.length = 0;
    this.buffered = 0;
    this.onClose(this);
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<LiveMessage> {
    return {
      next: () => this.next(),
      return: () => {
        this.close();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}

export function createInProcessLiveBus(options: InProcessLiveBusOptions = {}): LiveBus {
  const defaultBufferSize = options.defaultBufferSize ?? 10_000;
  const subscribers = new Set<Subscriber>();
  const remove = (subscriber: Subscriber) => subscribers.delete(subscriber);

  return {
    publish(events) {
      if (events.length === 0) return;
      for (const subscriber of subscribers) {
        subscriber.deliver(subscriber.filter ? events.filter(subscriber.filter) : events);
      }
    },
    subscribe(subscribeOptions = {}) {
      const subscriber = new Subscriber(
        subscribeOptions,
        subscribeOptions.bufferSize ?? defaultBufferSize,
        remove,
        options.onDropped,
      );
      subscribers.add(subscriber);
      return subscriber;
    },
    subscriberCount: () => subscribers.size,
    close() {
      for (const subscriber of [...subscribers]) subscriber.close();
    },
  };
}
