import type { EventSource } from '@auditorium/audit-model';
import type { DropReason } from './metrics.ts';

/**
 * A small in-memory picture of intake for the console's Overview: recent rate, totals since start, when
 * each sender was last heard from, and why events were dropped. Prometheus has all of this too, but the
 * console must not need a Prometheus to show it.
 */
export interface ReceiverStats {
  /** Events received per second, averaged over the last `windowSeconds`. */
  eventsPerSecond: number;
  windowSeconds: number;
  totals: { received: number; archived: number; alerted: number; dropped: number; rejectedRequests: number };
  receivedBySource: Partial<Record<EventSource, number>>;
  /** ISO time of the last event from each sender. */
  lastEventAt: Partial<Record<EventSource, string>>;
  droppedByReason: Partial<Record<DropReason, number>>;
  /** Rejected intake requests by Status reason. */
  rejectedByReason: Record<string, number>;
  startedAt: string;
}

export interface BatchOutcome {
  source: EventSource;
  received: number;
  archived: number;
  alerted: number;
  dropped: Partial<Record<DropReason, number>>;
}

export interface StatsRecorder {
  recordBatch(outcome: BatchOutcome): void;
  recordRejection(reason: string): void;
  snapshot(): ReceiverStats;
}

const windowSeconds = 10;

export function createStatsRecorder(now: () => number = Date.now): StatsRecorder {
  const startedAt = new Date(now()).toISOString();
  // One slot per second of the window plus the one filling up now, indexed by epoch second modulo the slot
  // count; `slotSecond` says which second a slot currently counts, so stale slots are recognised without a timer.
  const slots = windowSeconds + 1;
  const slotCounts = new Array<number>(slots).fill(0);
  const slotSecond = new Array<number>(slots).fill(-1);
  const totals = { received: 0, archived: 0, alerted: 0, dropped: 0, rejectedRequests: 0 };
  const receivedBySource: Partial<Record<EventSource, number>> = {};
  const lastEventAt: Partial<Record<EventSource, string>> = {};
  const droppedByReason: Partial<Record<DropReason, number>> = {};
  const rejectedByReason: Record<string, number> = {};

  return {
    recordBatch(outcome) {
      const at = now();
      const second = Math.floor(at / 1000);
      const slot = second % slots;
      if (slotSecond[slot] !== second) {
        slotSecond[slot] = second;
        slotCounts[slot] = 0;
      }
      slotCounts[slot] = (slotCounts[slot] ?? 0) + outcome.received;
      totals.received += outcome.received;
      totals.archived += outcome.archived;
      totals.alerted += outcome.alerted;
      receivedBySource[outcome.source] = (receivedBySource[outcome.source] ?? 0) + outcome.received;
      if (outcome.received > 0) lastEventAt[outcome.source] = new Date(at).toISOString();
      for (const [reason, count] of Object.entries(outcome.dropped) as Array<[DropReason, number]>) {
        if (!count) continue;
        totals.dropped += count;
        droppedByReason[reason] = (droppedByReason[reason] ?? 0) + count;
      }
    },
    recordRejection(reason) {
      totals.rejectedRequests += 1;
      rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + 1;
    },
    snapshot() {
      const second = Math.floor(now() / 1000);
      let recent = 0;
      // The current second is still filling up, so the window is the last ten complete seconds.
      for (let slot = 0; slot < slots; slot++) {
        const age = second - (slotSecond[slot] ?? -1);
        if (age >= 1 && age <= windowSeconds) recent += slotCounts[slot] ?? 0;
      }
      return {
        eventsPerSecond: recent / windowSeconds,
        windowSeconds,
        totals: { ...totals },
        receivedBySource: { ...receivedBySource },
        lastEventAt: { ...lastEventAt },
        droppedByReason: { ...droppedByReason },
        rejectedByReason: { ...rejectedByReason },
        startedAt,
      };
    },
  };
}
