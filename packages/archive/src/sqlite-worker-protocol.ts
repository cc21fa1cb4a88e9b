import type { ArchiveCondition } from './archive-conditions.ts';
import type { AppendResult, ArchiveQueryResult, ArchiveStatistics } from './event-store.ts';
import type { HistogramInterval, RawBucket } from './histogram-interval.ts';
import type { Page } from './paging.ts';
import type { ExportPage } from './sqlite-archive-reader.ts';
import type { InsertRow } from './sqlite-archive-writer.ts';
import type { ExportCursor } from './sqlite-query-sql.ts';
import type { SynchronousMode } from './sqlite-schema.ts';

/** The messages between `SqliteEventStore` and its two workers (sqlite-worker.ts). */

export interface SqliteWorkerData {
  role: 'writer' | 'reader';
  path: string;
  synchronous: SynchronousMode;
}

export type WriterRequest =
  | { op: 'append'; batches: InsertRow[][] }
  | { op: 'prune'; beforeMicros: number; limit: number }
  | { op: 'optimize' }
  | { op: 'close' };

export interface WriterReplies {
  append: AppendResult[];
  prune: number;
  optimize: undefined;
  close: undefined;
}

export type ReaderRequest =
  | { op: 'query'; condition: ArchiveCondition; page: Page }
  | { op: 'statistics'; condition: ArchiveCondition }
  | { op: 'histogram'; condition: ArchiveCondition; interval: HistogramInterval }
  | { op: 'exportPage'; condition: ArchiveCondition; after: ExportCursor | undefined; size: number }
  | { op: 'close' };

export interface ReaderReplies {
  query: ArchiveQueryResult;
  statistics: ArchiveStatistics;
  histogram: RawBucket[];
  exportPage: ExportPage;
  close: undefined;
}

export interface RequestEnvelope<Request> {
  id: number;
  request: Request;
}

export type ReplyEnvelope = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: unknown };

/** The worker's first message: its database is open (and migrated), or why not. */
export type ReadyMessage = { ready: true } | { ready: false; error: unknown };
