/**
 * @auditorium/archive: the event store behind the receiver and the console.
 *
 * - `EventStore` is the interface everything above speaks; `SqliteEventStore` is the embedded
 *   implementation (one `node:sqlite` file in WAL mode under DATA_DIR, written with group commit by a
 *   worker thread and read by another). `append` resolves once the batch is committed, deduplicated on
 *   (AuditID, Stage); `pendingEvents()` is the receiver's back-pressure signal.
 * - Queries keep KubeSphere's semantics (reference §7): exact lists ORed, parameters ANDed, substring
 *   searches (case-insensitive here, deliberately), tenant scoping by namespace/workspace creation time,
 *   histogram intervals `[0-9]+[smhdwMqy]` bucketed like Elasticsearch's `date_histogram`.
 * - `parseKubeSphereAuditingParams` + `answerKubeSphereAuditing` serve ks-apiserver's
 *   `GET /kapis/tenant.kubesphere.io/v1alpha2/auditing/events`: query-string in, response bodies out,
 *   malformed parameters reported per parameter (`queryParameterStatus`) instead of a 500.
 * - `startRetention` prunes events older than 7 days (KubeSphere's default) in the background.
 */

export { InvalidEventError } from './event-row.ts';
export type {
  AppendResult,
  ArchivedRecord,
  ArchiveFilter,
  ArchiveHistogram,
  ArchiveQuery,
  ArchiveQueryResult,
  ArchiveScope,
  ArchiveStatistics,
  EventStore,
  HistogramBucket,
} from './event-store.ts';
export {
  defaultHistogramInterval,
  HistogramError,
  maxHistogramBuckets,
  parseHistogramInterval,
} from './histogram-interval.ts';
export {
  type KubeSphereAuditingRequest,
  type KubeSphereOperation,
  kubeSphereOperations,
  type ParsedKubeSphereParams,
  parseKubeSphereAuditingParams,
  type QueryParameterError,
  type QueryParameters,
  queryParameterStatus,
} from './kubesphere-query-params.ts';
export {
  answerKubeSphereAuditing,
  type KubeSphereAuditingResponse,
  type KubeSphereHistogramResponse,
  type KubeSphereQueryResponse,
  type KubeSphereStatisticsResponse,
  kubeSphereHistogramResponse,
  kubeSphereQueryResponse,
  kubeSphereStatisticsResponse,
} from './kubesphere-responses.ts';
export { defaultPageSize, maxPageSize } from './paging.ts';
export { defaultRetentionEveryMs, defaultRetentionMs, type RetentionOptions, startRetention } from './retention.ts';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.ts';
export type { SynchronousMode } from './sqlite-schema.ts';
