import type { AppendResult, ArchivedRecord, EventStore } from '@auditorium/archive';

/**
 * A real store whose commits can be held back, to see what the receiver does while the archive has not
 * committed yet (it must not acknowledge) or is far behind (it must answer 429). Everything else is the
 * real store.
 */
export interface GatedStore extends EventStore {
  hold(): void;
  release(): void;
  /** Appends waiting at the gate. */
  waiting(): number;
}

export function gatedStore(inner: EventStore): GatedStore {
  let gate: Promise<void> | undefined;
  let open: () => void = () => {};
  let heldEvents = 0;
  let waitingAppends = 0;
  return {
    hold() {
      gate ??= new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      open();
      gate = undefined;
    },
    waiting: () => waitingAppends,
    async append(records: ArchivedRecord[]): Promise<AppendResult> {
      if (gate) {
        heldEvents += records.length;
        waitingAppends += 1;
        await gate;
        heldEvents -= records.length;
        waitingAppends -= 1;
      }
      return inner.append(records);
    },
    pendingEvents: () => inner.pendingEvents() + heldEvents,
    query: (query, scope) => inner.query(query, scope),
    statistics: (filter, scope) => inner.statistics(filter, scope),
    histogram: (filter, scope, interval) => inner.histogram(filter, scope, interval),
    iterate: (filter, scope, pageSize) => inner.iterate(filter, scope, pageSize),
    prune: (olderThanMs) => inner.prune(olderThanMs),
    close: () => inner.close(),
  };
}
