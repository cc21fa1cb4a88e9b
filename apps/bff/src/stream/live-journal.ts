import { randomBytes } from 'node:crypto';
import { createInProcessLiveBus, type LiveBus, type LiveEvent, type LiveSubscription } from '../receiver/live-bus.ts';

/**
 * Numbers the receiver's live events and remembers the most recent ones, so an SSE client that
 * reconnects with `Last-Event-ID` gets exactly what it missed. The journal is the receiver bus's one
 * subscriber for all streams; it gives each event a sequence number and republishes it on a bus of its
 * own, which keeps the per-viewer bounded buffers and "dropped N" markers of the receiver's bus.
 *
 * An SSE id is `<epoch>.<seq>.<receivedMs>`: the epoch tells a journal of an earlier process (whose
 * numbers mean nothing now) from this one, and the event's receive time lets the stream fall back to
 * the archive for what the ring no longer holds.
 */
export interface JournalEvent extends LiveEvent {
  seq: number;
}

export interface JournalPosition {
  epoch: string;
  seq: number;
  /** The event's RequestReceivedTimestamp in Unix ms. */
  receivedMs: number;
}

export type Replay =
  /** The ring holds everything after the position: these events (already filtered), then live ones. */
  | { kind: 'ring'; events: JournalEvent[] }
  /** The ring cannot say what was missed (another process, or too long ago): ask the archive. */
  | { kind: 'gap'; reason: 'restarted' | 'overflowed'; sinceMs: number };

export type JournalMessage = { type: 'events'; events: JournalEvent[] } | { type: 'dropped'; count: number };
export type JournalSubscription = AsyncIterable<JournalMessage> & { close(): void };

export interface LiveJournalOptions {
  /** Events remembered for resuming streams. */
  ringSize?: number;
}

export class LiveJournal {
  readonly epoch = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  readonly #ring: JournalEvent[] = [];
  readonly #ringSize: number;
  readonly #bus: LiveBus = createInProcessLiveBus();
  readonly #upstream: LiveSubscription;
  #seq = 0;

  constructor(upstream: LiveBus, options: LiveJournalOptions = {}) {
    this.#ringSize = Math.max(1, options.ringSize ?? 10_000);
    // The journal handles each message synchronously, so it only falls behind when the event loop is
    // starved; a loss then shows as a gap in the sequence numbers.
    this.#upstream = upstream.subscribe({ bufferSize: 100_000 });
    void this.#pump();
  }

  async #pump(): Promise<void> {
    for await (const message of this.#upstream) {
      if (message.type === 'dropped') {
        this.#seq += message.count;
        continue;
      }
      const numbered = message.events.map((event) => ({ ...event, seq: ++this.#seq }));
      this.#ring.push(...numbered);
      if (this.#ring.length > this.#ringSize) this.#ring.splice(0, this.#ring.length - this.#ringSize);
      this.#bus.publish(numbered);
    }
    this.#bus.close();
  }

  /** The SSE id of an event. */
  idOf(event: JournalEvent): string {
    return `${this.epoch}.${event.seq}.${receivedMs(event)}`;
  }

  /**
   * Subscribes to the events that pass `filter` from now on, and says what was missed after `lastEventId`.
   * Both happen in one synchronous step, so nothing falls between the replay and the live events.
   */
  subscribe(
    filter: (event: JournalEvent) => boolean,
    options: { lastEventId?: string; bufferSize?: number } = {},
  ): { subscription: JournalSubscription; replay: Replay | undefined } {
    // Only numbered events are ever published on the journal's bus.
    const subscription = this.#bus.subscribe({
      filter: (event) => filter(event as JournalEvent),
      bufferSize: options.bufferSize,
    }) as JournalSubscription;
    const position = options.lastEventId ? parsePosition(options.lastEventId) : undefined;
    return { subscription, replay: position && this.#replay(position, filter) };
  }

  #replay(position: JournalPosition, filter: (event: JournalEvent) => boolean): Replay {
    if (position.epoch !== this.epoch) return { kind: 'gap', reason: 'restarted', sinceMs: position.receivedMs };
    const oldest = this.#ring[0]?.seq ?? this.#seq + 1;
    if (position.seq + 1 < oldest) return { kind: 'gap', reason: 'overflowed', sinceMs: position.receivedMs };
    const events = this.#ring.filter((event) => event.seq > position.seq && filter(event));
    return { kind: 'ring', events };
  }

  /** Live streams currently open. */
  viewers(): number {
    return this.#bus.subscriberCount();
  }

  close(): void {
    this.#upstream.close();
    this.#bus.close();
  }
}

function receivedMs(event: LiveEvent): number {
  const ms = Date.parse(event.event.RequestReceivedTimestamp);
  return Number.isNaN(ms) ? 0 : ms;
}

/** `undefined` for an id we did not write (then the stream starts fresh). */
export function parsePosition(id: string): JournalPosition | undefined {
  const match = /^([0-9a-z]+)\.(\d+)\.(\d+)$/.exec(id.trim());
  if (!match) return undefined;
  return { epoch: match[1]!, seq: Number(match[2]), receivedMs: Number(match[3]) };
}
