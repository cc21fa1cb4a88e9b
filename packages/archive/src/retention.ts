import type { EventStore } from './event-store.ts';

/** KubeSphere's curator keeps audit indices 7 days (`logMaxAge: 7`, reference §5.4 step 5). */
export const defaultRetentionMs = 7 * 86_400_000;
export const defaultRetentionEveryMs = 3_600_000;

export interface RetentionOptions {
  /** Events received longer ago than this are deleted. */
  maxAgeMs?: number;
  /** How often to prune; hourly by default, so each run deletes about an hour of events, not a day. */
  everyMs?: number;
  now?: () => number;
  onPruned?: (deleted: number) => void;
  /** A failed run is reported and retried at the next tick; by default as a process warning. */
  onError?: (error: unknown) => void;
}

/**
 * Prunes the archive now and then every `everyMs`. The timer is unref'd: retention never keeps a process
 * alive. Runs never overlap. The returned function stops the timer and resolves once a run in progress
 * has finished, so a caller can stop retention and then close the store.
 */
export function startRetention(store: Pick<EventStore, 'prune'>, options: RetentionOptions = {}): () => Promise<void> {
  const maxAgeMs = options.maxAgeMs ?? defaultRetentionMs;
  const everyMs = options.everyMs ?? defaultRetentionEveryMs;
  const now = options.now ?? Date.now;
  const onError =
    options.onError ?? ((error: unknown) => process.emitWarning(`archive retention failed: ${String(error)}`));
  let running: Promise<void> | undefined;
  let stopped = false;

  const run = () => {
    if (running !== undefined || stopped) return;
    running = store
      .prune(now() - maxAgeMs)
      .then((deleted) => options.onPruned?.(deleted), onError)
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, 0);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();

  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
