import type { ArchivedRecord, ArchiveFilter, EventStore } from '@auditorium/archive';
import type { AuditEvent } from '@auditorium/audit-model';
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import type { LiveEvent } from '../receiver/live-bus.ts';
import type { ScopeResolver } from '../scope/scope-resolver.ts';
import { scopeAdmitter, toArchiveScope, type UserScope } from '../scope/user-scope.ts';
import { liveFilter } from './live-filter.ts';
import type { JournalEvent, LiveJournal } from './live-journal.ts';

/**
 * `GET /api/events/stream`: the live events one user may see, filtered on the server, as Server-Sent Events.
 *
 * Frames:
 * - `event: events`, `data: StreamedEvent[]`, `id: <journal position of the last one>`: live events, or ones
 *   replayed from the journal's ring after a reconnect. One frame per batch the receiver published, not per
 *   event: at thousands of events a second a browser spends more on dispatching messages than on anything
 *   else. EventSource sends the last id back as `Last-Event-ID`, so a reconnect resumes after that batch.
 * - `event: replayed`, `data: StreamedEvent` without an id: an event replayed from the archive, when the
 *   ring could not cover a reconnect (the server restarted, or the client was away too long). Only archived
 *   events can be replayed that way. Same (AuditID, Stage) may arrive twice around a reconnect: dedupe on it.
 * - `event: gap`, `data: {reason, sinceMs, replayed, complete}`: the ring could not cover a reconnect;
 *   `complete: false` when more archived events were missed than replayed (search the archive from `sinceMs`).
 * - `event: dropped`, `data: {count}`: this viewer fell behind and lost `count` events.
 * - `: heartbeat` comment lines every `heartbeatMs`, so proxies keep the connection open.
 */
export interface StreamedEvent {
  event: AuditEvent;
  archived: boolean;
  alerted: boolean;
  matchedRules: string[];
  dropReason?: LiveEvent['dropReason'];
}

export interface EventStreamOptions {
  journal: LiveJournal;
  scopes: ScopeResolver;
  /** For replaying what the ring no longer holds; without it a gap is only reported. */
  eventStore?: EventStore;
  heartbeatMs?: number;
  /** How often the user's scope is re-read while the stream is open, so revoked access stops the flow. */
  rescopeMs?: number;
  /** Most archived events replayed after a gap. */
  replayLimit?: number;
  /** Events buffered for one viewer before it loses some ("dropped N"). */
  bufferSize?: number;
}

export async function streamEvents(
  c: Context<AuthenticatedEnv>,
  filter: ArchiveFilter,
  lastEventId: string | undefined,
  options: EventStreamOptions,
): Promise<Response> {
  const { journal, scopes } = options;
  const userKube = c.var.userKube;
  // Resolved before the stream opens, so a failing apiserver is an HTTP error, not a silent empty stream.
  let scope: UserScope = await scopes.resolve(userKube);
  let admits = scopeAdmitter(scope);
  const matches = liveFilter(filter);

  return streamSSE(c, async (sse) => {
    const { subscription, replay } = journal.subscribe((event) => admits(event.event) && matches(event.event), {
      lastEventId,
      bufferSize: options.bufferSize ?? 1000,
    });
    const timers = [
      setInterval(() => void sse.write(': heartbeat\n\n'), options.heartbeatMs ?? 15_000),
      setInterval(() => {
        scopes.resolve(userKube).then(
          (latest) => {
            scope = latest;
            admits = scopeAdmitter(latest);
          },
          // Keep the last known scope while the apiserver cannot be asked; the next tick tries again.
          () => {},
        );
      }, options.rescopeMs ?? 30_000),
    ];
    sse.onAbort(() => subscription.close());
    try {
      await sse.write(': connected\n\n');
      const seen = new Set<string>();
      if (replay?.kind === 'ring') {
        for (let from = 0; from < replay.events.length; from += RING_REPLAY_FRAME) {
          await writeJournalEvents(sse, journal, replay.events.slice(from, from + RING_REPLAY_FRAME));
        }
      } else if (replay?.kind === 'gap') {
        const replayed = await replayArchive(sse, filter, scope, replay.sinceMs, options);
        for (const key of replayed.keys) seen.add(key);
        await sse.writeSSE({
          event: 'gap',
          data: JSON.stringify({
            reason: replay.reason,
            sinceMs: replay.sinceMs,
            replayed: replayed.keys.length,
            complete: replayed.complete,
          }),
        });
      }
      for await (const message of subscription) {
        if (message.type === 'dropped') {
          await sse.writeSSE({ event: 'dropped', data: JSON.stringify({ count: message.count }) });
          continue;
        }
        const fresh =
          seen.size > 0 ? message.events.filter((event) => !seen.delete(eventKey(event.event))) : message.events;
        if (fresh.length > 0) await writeJournalEvents(sse, journal, fresh);
      }
    } finally {
      for (const timer of timers) clearInterval(timer);
      subscription.close();
    }
  });
}

/** Events per frame when the ring is replayed after a reconnect (live frames follow the receiver's batches). */
const RING_REPLAY_FRAME = 500;

function writeJournalEvents(sse: SSEStreamingApi, journal: LiveJournal, events: JournalEvent[]): Promise<void> {
  const streamed = events.map(({ seq: _seq, ...rest }): StreamedEvent => rest);
  return sse.writeSSE({ event: 'events', id: journal.idOf(events.at(-1)!), data: JSON.stringify(streamed) });
}

async function replayArchive(
  sse: SSEStreamingApi,
  filter: ArchiveFilter,
  scope: UserScope,
  sinceMs: number,
  options: EventStreamOptions,
): Promise<{ keys: string[]; complete: boolean }> {
  if (!options.eventStore) return { keys: [], complete: false };
  const limit = options.replayLimit ?? 1000;
  const startTime = Math.max(filter.startTime ?? sinceMs, sinceMs);
  const result = await options.eventStore.query(
    { ...filter, startTime, sort: 'asc', from: 0, size: limit },
    toArchiveScope(scope),
  );
  for (const record of result.records) {
    await sse.writeSSE({ event: 'replayed', data: JSON.stringify(archivedToStreamed(record)) });
  }
  return { keys: result.records.map((record) => eventKey(record.event)), complete: result.total <= limit };
}

function archivedToStreamed(record: ArchivedRecord): StreamedEvent {
  return { event: record.event, archived: true, alerted: record.alerted, matchedRules: record.matchedRules };
}

function eventKey(event: AuditEvent): string {
  return `${event.AuditID}/${event.Stage}`;
}
