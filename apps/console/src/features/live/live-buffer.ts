import type { AuditEvent } from '@auditorium/audit-model';
import { eventKey } from '../../lib/audit-event/event-key.ts';

/** One frame of `/api/events/stream` (the BFF's `StreamedEvent`). */
export interface StreamedEvent {
  event: AuditEvent;
  archived: boolean;
  alerted: boolean;
  matchedRules: string[];
  /** Why the receiver did not archive it. */
  dropReason?: string;
}

/** What the view renders from; a new object once per flushed frame, never per event. */
export interface LiveSnapshot {
  /** Rows shown (oldest first). */
  size: number;
  /** Events received while paused, not shown yet. */
  held: number;
  paused: boolean;
  /** Rows ever appended to the shown list; the view counts "N new" against it. */
  appendedTotal: number;
  /** Oldest rows let go to stay within capacity, in total; the view keeps its scroll position with it. */
  evictedTotal: number;
  /** Events the server dropped because this viewer fell behind ("dropped N"). */
  serverDropped: number;
}

export const liveBufferCapacity = 50_000;

/**
 * How often at most the view takes in new events. Per animation frame (60/s) the list would restyle,
 * lay out and paint a whole screen of new rows 60 times a second at 2,000 events/s, starving scrolling
 * on a small machine; 10 updates a second is still live to the eye and leaves most frames to the scroll.
 */
export const liveFlushIntervalMs = 100;

/**
 * Flushes on an animation frame, at most once per `intervalMs`; in a hidden tab (where frames stop) on a
 * timer, so the queue keeps draining into the bounded ring instead of growing.
 */
export function throttledFrames(intervalMs: number): (flush: () => void) => () => void {
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  return (flush) => {
    const run = () => {
      lastFlushAt = performance.now();
      flush();
    };
    const wait = Math.max(0, lastFlushAt + intervalMs - performance.now());
    if (document.hidden) {
      const timer = setTimeout(run, Math.max(wait, 500));
      return () => clearTimeout(timer);
    }
    let frame = 0;
    const timer = setTimeout(() => {
      frame = requestAnimationFrame(run);
    }, wait);
    return () => {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
    };
  };
}

/**
 * The live view's bounded client buffer: a ring of at most `capacity` events, the oldest dropped first,
 * with (AuditID, Stage) dedupe because the stream may repeat events around a reconnect.
 *
 * Events arrive in batches from the EventSource but the view must not render per event (2,000/s would
 * be 2,000 renders/s): `push` only queues, and a flush (an animation frame, at most every
 * `liveFlushIntervalMs`) moves the queue into the ring and notifies subscribers once. While paused,
 * events wait in `held` (bounded the same way) and the shown rows stay still.
 */
export class LiveBuffer {
  readonly capacity: number;
  readonly #ring: Array<StreamedEvent | undefined>;
  #start = 0;
  #size = 0;
  readonly #byKey = new Map<string, StreamedEvent>();
  #incoming: StreamedEvent[] = [];
  #held: StreamedEvent[] = [];
  #paused = false;
  #appendedTotal = 0;
  #evictedTotal = 0;
  #serverDropped = 0;
  /** Cancels the scheduled flush, when one is. */
  #scheduled: (() => void) | undefined;
  #snapshot: LiveSnapshot;
  readonly #listeners = new Set<() => void>();
  readonly #schedule: (flush: () => void) => () => void;

  constructor(
    capacity = liveBufferCapacity,
    schedule: (flush: () => void) => () => void = throttledFrames(liveFlushIntervalMs),
  ) {
    this.capacity = capacity;
    this.#ring = new Array(capacity);
    this.#schedule = schedule;
    this.#snapshot = this.#makeSnapshot();
  }

  /** Queues one event; it shows at the next flush. */
  push(event: StreamedEvent): void {
    this.#incoming.push(event);
    // Only the newest `capacity` can ever be shown; trimming in chunks keeps a push O(1) amortised.
    if (this.#incoming.length >= 2 * this.capacity) this.#incoming.splice(0, this.#incoming.length - this.capacity);
    this.#scheduled ??= this.#schedule(this.flush);
  }

  noteServerDropped(count: number): void {
    this.#serverDropped += count;
    this.#scheduled ??= this.#schedule(this.flush);
  }

  setPaused(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    if (!paused) {
      const held = this.#held;
      this.#held = [];
      for (const event of held) this.#append(event);
    }
    this.#publish();
  }

  /** Moves queued events into view (or into `held` while paused) and notifies once. */
  readonly flush = (): void => {
    this.#scheduled = undefined;
    let incoming = this.#incoming;
    this.#incoming = [];
    if (incoming.length > this.capacity) incoming = incoming.slice(-this.capacity);
    if (this.#paused) {
      for (const event of incoming) this.#held.push(event);
      const excess = this.#held.length - this.capacity;
      if (excess > 0) this.#held.splice(0, excess);
    } else {
      for (const event of incoming) this.#append(event);
    }
    this.#publish();
  };

  #append(streamed: StreamedEvent): void {
    const key = eventKey(streamed.event);
    if (this.#byKey.has(key)) return;
    if (this.#size === this.capacity) {
      const oldest = this.#ring[this.#start];
      if (oldest) this.#byKey.delete(eventKey(oldest.event));
      this.#ring[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.capacity;
      this.#size -= 1;
      this.#evictedTotal += 1;
    }
    this.#ring[(this.#start + this.#size) % this.capacity] = streamed;
    this.#size += 1;
    this.#appendedTotal += 1;
    this.#byKey.set(key, streamed);
  }

  /** The shown row at `index`, 0 being the oldest. */
  at(index: number): StreamedEvent | undefined {
    if (index < 0 || index >= this.#size) return undefined;
    return this.#ring[(this.#start + index) % this.capacity];
  }

  byKey(key: string): StreamedEvent | undefined {
    return this.#byKey.get(key);
  }

  #makeSnapshot(): LiveSnapshot {
    return {
      size: this.#size,
      held: this.#held.length,
      paused: this.#paused,
      appendedTotal: this.#appendedTotal,
      evictedTotal: this.#evictedTotal,
      serverDropped: this.#serverDropped,
    };
  }

  #publish(): void {
    this.#snapshot = this.#makeSnapshot();
    for (const listener of this.#listeners) listener();
  }

  /** For `useSyncExternalStore`. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly getSnapshot = (): LiveSnapshot => this.#snapshot;

  dispose(): void {
    this.#scheduled?.();
    this.#scheduled = undefined;
    this.#listeners.clear();
  }
}
