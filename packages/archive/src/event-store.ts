import type { AuditEvent, EventSource, Stage } from '@auditorium/audit-model';

/**
 * The archive behind one interface: SQLite (embedded, the default) now, PostgreSQL for several receiver
 * replicas later. Everything above it (receiver, BFF, KubeSphere query API) speaks only this.
 */

/** One archived event and what the rules made of it. */
export interface ArchivedRecord {
  event: AuditEvent;
  /** Names of the rules that matched (archiving or alerting), for the console. */
  matchedRules: string[];
  alerted: boolean;
}

/** Filters, combined with AND; values within one list are ORed (KubeSphere's query semantics, reference §7.1). */
export interface ArchiveFilter {
  /** Unix milliseconds, inclusive. */
  startTime?: number;
  endTime?: number;
  workspaces?: string[];
  workspaceSearch?: string[];
  namespaces?: string[];
  namespaceSearch?: string[];
  names?: string[];
  nameSearch?: string[];
  verbs?: string[];
  levels?: string[];
  stages?: Stage[];
  sources?: EventSource[];
  users?: string[];
  userSearch?: string[];
  groupSearch?: string[];
  sourceIpSearch?: string[];
  /** Prefix match, as KubeSphere's match_phrase_prefix on ObjectRef.Resource. */
  resources?: string[];
  subresources?: string[];
  responseCodes?: number[];
  responseStatuses?: string[];
  /** Case-insensitive substring over URI, user, name, namespace, resource and message. */
  text?: string;
}

/**
 * What a user may see (reference §7.2), computed by the caller from RBAC: events of these namespaces and
 * workspaces from each one's creation time on (a re-created namespace does not expose its predecessor's
 * events), plus events with no namespace and no workspace when `clusterLevel` is set.
 */
export type ArchiveScope =
  | { kind: 'all' }
  | {
      kind: 'tenant';
      namespaces: Array<{ name: string; sinceMs: number }>;
      workspaces: Array<{ name: string; sinceMs: number }>;
      clusterLevel: boolean;
    };

export interface ArchiveQuery extends ArchiveFilter {
  sort?: 'asc' | 'desc';
  from?: number;
  size?: number;
}

export interface ArchiveQueryResult {
  total: number;
  records: ArchivedRecord[];
}

export interface ArchiveStatistics {
  /** Distinct audit IDs (requests). */
  resources: number;
  /** Stored events (one per request stage). */
  events: number;
}

export interface HistogramBucket {
  /** Bucket start, Unix milliseconds. */
  time: number;
  count: number;
}

export interface ArchiveHistogram {
  total: number;
  buckets: HistogramBucket[];
}

export interface AppendResult {
  /** Events newly stored. */
  stored: number;
  /** Events already stored under the same (auditID, stage) and skipped. */
  duplicates: number;
}

export interface EventStore {
  /**
   * Stores a batch. Resolves only once the batch is durably committed, so a receiver that acknowledges
   * after it loses nothing to a kill -9. Deduplicates on (AuditID, Stage).
   */
  append(records: ArchivedRecord[]): Promise<AppendResult>;
  /** Events waiting to be committed; the receiver answers 429 above its limit instead of growing memory. */
  pendingEvents(): number;
  query(query: ArchiveQuery, scope: ArchiveScope): Promise<ArchiveQueryResult>;
  statistics(filter: ArchiveFilter, scope: ArchiveScope): Promise<ArchiveStatistics>;
  /** `interval` in KubeSphere's form: `[0-9]+[smhdwMqy]`, e.g. `15m`. */
  histogram(filter: ArchiveFilter, scope: ArchiveScope, interval: string): Promise<ArchiveHistogram>;
  /** Every match, oldest first, in pages: for export without holding the whole result in memory. */
  iterate(filter: ArchiveFilter, scope: ArchiveScope, pageSize?: number): AsyncIterable<ArchivedRecord[]>;
  /** Deletes events received before the cut-off; returns how many. */
  prune(olderThanMs: number): Promise<number>;
  close(): Promise<void>;
}
