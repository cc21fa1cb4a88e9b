import { archiveCondition } from './archive-conditions.ts';
import { toEventRow } from './event-row.ts';
import type {
  AppendResult,
  ArchivedRecord,
  ArchiveFilter,
  ArchiveHistogram,
  ArchiveQuery,
  ArchiveQueryResult,
  ArchiveScope,
  ArchiveStatistics,
  EventStore,
} from './event-store.ts';
import { histogramBuckets, parseHistogramInterval } from './histogram-interval.ts';
import { pageOf } from './paging.ts';
import { type InsertRow, insertRow } from './sqlite-archive-writer.ts';
import type { SynchronousMode } from './sqlite-schema.ts';
import type {
  ReaderReplies,
  ReaderRequest,
  SqliteWorkerData,
  WriterReplies,
  WriterRequest,
} from './sqlite-worker-protocol.ts';
import { WorkerChannel } from './worker-channel.ts';

export interface SqliteEventStoreOptions {
  /** See `SynchronousMode`: NORMAL (default) survives kill -9, FULL also power loss. */
  synchronous?: SynchronousMode;
  /**
   * At most this many events per group commit. Appends that queue while a commit runs are written together
   * in the next one; the cap bounds one transaction's length (and so how long a reader's WAL snapshot and
   * the queue behind it wait).
   */
  maxEventsPerCommit?: number;
  /** Rows per page of `iterate`. */
  exportPageSize?: number;
  /** Rows per retention transaction, so pruning a large backlog does not stall appends behind one huge delete. */
  pruneChunkSize?: number;
}

interface QueuedAppend {
  rows: InsertRow[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

interface QueuedJob {
  request: Exclude<WriterRequest, { op: 'append' } | { op: 'close' }>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const emptyResult: ArchiveQueryResult = { total: 0, records: [] };

/** Writes with the writer at once: one running, one waiting in its queue (see #pump). */
const maxWritesInFlight = 2;

/**
 * The embedded archive: one SQLite file in WAL mode, written by a writer worker thread with group commit
 * and read by a reader worker thread on its own connection (sqlite-worker.ts says why threads).
 *
 * `append` resolves after the transaction holding its batch has committed. Appends that arrive while a
 * commit is running queue up and go into the next transaction together, so several concurrent senders
 * share commits instead of paying one each. Each record is turned into its row when `append` is called,
 * so a caller may change or drop its records once the call returns.
 */
export class SqliteEventStore implements EventStore {
  readonly path: string;
  readonly #writer: WorkerChannel<WriterRequest, WriterReplies>;
  readonly #reader: Promise<WorkerChannel<ReaderRequest, ReaderReplies>>;
  readonly #maxEventsPerCommit: number;
  readonly #exportPageSize: number;
  readonly #pruneChunkSize: number;
  readonly #appends: QueuedAppend[] = [];
  readonly #jobs: QueuedJob[] = [];
  #queuedEvents = 0;
  #committingEvents = 0;
  /** Writes (append groups or jobs) posted to the writer and not yet answered, at most `maxWritesInFlight`. */
  #writesInFlight = 0;
  #whenIdle: Array<() => void> = [];
  #closing: Promise<void> | undefined;

  constructor(path: string, options: SqliteEventStoreOptions = {}) {
    this.path = path;
    this.#maxEventsPerCommit = options.maxEventsPerCommit ?? 20_000;
    this.#exportPageSize = options.exportPageSize ?? 1000;
    this.#pruneChunkSize = options.pruneChunkSize ?? 5000;
    const script = new URL('./sqlite-worker.ts', import.meta.url);
    const synchronous = options.synchronous ?? 'NORMAL';
    const writerData: SqliteWorkerData = { role: 'writer', path, synchronous };
    this.#writer = new WorkerChannel(script, writerData, 'auditorium-archive-writer');
    // The reader opens once the writer has created and migrated the file.
    this.#reader = this.#writer.ready().then(() => {
      const readerData: SqliteWorkerData = { role: 'reader', path, synchronous };
      const reader = new WorkerChannel<ReaderRequest, ReaderReplies>(script, readerData, 'auditorium-archive-reader');
      return reader.ready().then(() => reader);
    });
    this.#reader.catch(() => {});
  }

  /** Opens the store and waits until both connections are ready, so a bad path or schema fails here. */
  static async open(path: string, options?: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    const store = new SqliteEventStore(path, options);
    try {
      await store.#reader;
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async append(records: ArchivedRecord[]): Promise<AppendResult> {
    if (this.#closing !== undefined) throw new Error('the archive is closed');
    if (records.length === 0) return { stored: 0, duplicates: 0 };
    // Rows are made (and the events checked) here rather than in the worker, so one bad event fails only
    // its own batch, not the others it would share a transaction with; and a flat row crosses to the
    // worker far cheaper than the event object (InsertRow says why).
    const rows: InsertRow[] = new Array(records.length);
    for (let index = 0; index < records.length; index++) rows[index] = insertRow(toEventRow(records[index]!));
    return new Promise<AppendResult>((resolve, reject) => {
      this.#appends.push({ rows, resolve, reject });
      this.#queuedEvents += rows.length;
      this.#pump();
    });
  }

  pendingEvents(): number {
    return this.#queuedEvents + this.#committingEvents;
  }

  async query(query: ArchiveQuery, scope: ArchiveScope): Promise<ArchiveQueryResult> {
    const page = pageOf(query);
    const condition = archiveCondition(query, scope);
    if (condition === undefined) return emptyResult;
    return (await this.#reader).call({ op: 'query', condition, page });
  }

  async statistics(filter: ArchiveFilter, scope: ArchiveScope): Promise<ArchiveStatistics> {
    const condition = archiveCondition(filter, scope);
    if (condition === undefined) return { resources: 0, events: 0 };
    return (await this.#reader).call({ op: 'statistics', condition });
  }

  async histogram(filter: ArchiveFilter, scope: ArchiveScope, interval: string): Promise<ArchiveHistogram> {
    const parsed = parseHistogramInterval(interval);
    const condition = archiveCondition(filter, scope);
    if (condition === undefined) return { total: 0, buckets: [] };
    const raw = await (await this.#reader).call({ op: 'histogram', condition, interval: parsed });
    return { total: raw.reduce((sum, bucket) => sum + bucket.count, 0), buckets: histogramBuckets(parsed, raw) };
  }

  async *iterate(filter: ArchiveFilter, scope: ArchiveScope, pageSize?: number): AsyncIterable<ArchivedRecord[]> {
    const size = pageSize ?? this.#exportPageSize;
    if (!Number.isSafeInteger(size) || size < 1)
      throw new RangeError(`pageSize must be a whole number ≥ 1, got ${size}`);
    const condition = archiveCondition(filter, scope);
    if (condition === undefined) return;
    const reader = await this.#reader;
    let page = await reader.call({ op: 'exportPage', condition, after: undefined, size });
    while (true) {
      if (page.records.length > 0) yield page.records;
      if (page.next === undefined) return;
      page = await reader.call({ op: 'exportPage', condition, after: page.next, size });
    }
  }

  /** Deletes in chunks, each its own transaction, with queued appends going first between chunks. */
  async prune(olderThanMs: number): Promise<number> {
    if (this.#closing !== undefined) throw new Error('the archive is closed');
    const beforeMicros = olderThanMs * 1000;
    let deleted = 0;
    while (true) {
      const chunk = (await this.#job({ op: 'prune', beforeMicros, limit: this.#pruneChunkSize })) as number;
      deleted += chunk;
      if (chunk < this.#pruneChunkSize) break;
    }
    if (deleted > 0) await this.#job({ op: 'optimize' });
    return deleted;
  }

  /** Commits what is queued, then closes both connections. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await new Promise<void>((resolve) => {
        if (this.#idle() && this.#appends.length === 0 && this.#jobs.length === 0) resolve();
        else this.#whenIdle.push(resolve);
      });
      const reader = await this.#reader.catch(() => undefined);
      await Promise.all([this.#writer.close({ op: 'close' }), reader?.close({ op: 'close' })]);
    })();
    return this.#closing;
  }

  #job(request: QueuedJob['request']): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#jobs.push({ request, resolve, reject });
      this.#pump();
    });
  }

  #idle(): boolean {
    return this.#writesInFlight === 0;
  }

  /**
   * Posts writes to the writer: queued appends first (as one group), then other jobs. Up to two writes are
   * with the writer at once, so when it finishes one commit the next is already in its message queue:
   * otherwise the writer would sit idle until this thread, busy parsing the next request, got round to
   * reading the reply and posting more (measured: a third of the writer's time). The writer handles its
   * messages one after another, in the order posted; each append resolves after its own group's commit.
   */
  #pump(): void {
    while (this.#writesInFlight < maxWritesInFlight) {
      if (this.#appends.length > 0) {
        this.#postGroup();
        continue;
      }
      const job = this.#jobs.shift();
      if (job === undefined) break;
      this.#post(this.#writer.call(job.request).then(job.resolve, job.reject));
    }
    if (this.#idle() && this.#appends.length === 0 && this.#jobs.length === 0) {
      for (const resolve of this.#whenIdle.splice(0)) resolve();
    }
  }

  #post(write: Promise<unknown>, after?: () => void): void {
    this.#writesInFlight += 1;
    write.finally(() => {
      this.#writesInFlight -= 1;
      after?.();
      this.#pump();
    });
  }

  #postGroup(): void {
    const group: QueuedAppend[] = [];
    let events = 0;
    while (this.#appends.length > 0) {
      const next = this.#appends[0]!;
      if (group.length > 0 && events + next.rows.length > this.#maxEventsPerCommit) break;
      group.push(next);
      events += next.rows.length;
      this.#appends.shift();
    }
    this.#queuedEvents -= events;
    this.#committingEvents += events;
    this.#post(
      this.#writer.call({ op: 'append', batches: group.map((append) => append.rows) }).then(
        (results) => {
          for (const [index, append] of group.entries()) append.resolve(results[index]!);
        },
        (error: unknown) => {
          for (const append of group) append.reject(error);
        },
      ),
      () => {
        this.#committingEvents -= events;
      },
    );
  }
}
