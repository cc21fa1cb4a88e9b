import { type ArchivedEvent, toArchivedEvent } from '@auditorium/audit-model';
import type {
  ArchiveHistogram,
  ArchiveQueryResult,
  ArchiveScope,
  ArchiveStatistics,
  EventStore,
} from './event-store.ts';
import type { KubeSphereAuditingRequest } from './kubesphere-query-params.ts';

/**
 * ks-apiserver's response bodies (reference §7.4), so the KubeSphere console and scripts written against it
 * read ours unchanged. Records are in the archived shape Elasticsearch returned as `_source` (§5.4).
 * One difference: with nothing visible ks-apiserver sent `"records": null` (a nil Go slice); we send `[]`,
 * which every client that coped with null also reads.
 */
export interface KubeSphereQueryResponse {
  query: { total: number; records: ArchivedEvent[] };
}

export interface KubeSphereStatisticsResponse {
  statistics: { resources: number; events: number };
}

export interface KubeSphereHistogramResponse {
  histogram: { total: number; buckets: Array<{ time: number; count: number }> };
}

export type KubeSphereAuditingResponse =
  | KubeSphereQueryResponse
  | KubeSphereStatisticsResponse
  | KubeSphereHistogramResponse;

export function kubeSphereQueryResponse(result: ArchiveQueryResult): KubeSphereQueryResponse {
  return { query: { total: result.total, records: result.records.map((record) => toArchivedEvent(record.event)) } };
}

export function kubeSphereStatisticsResponse(statistics: ArchiveStatistics): KubeSphereStatisticsResponse {
  return { statistics: { resources: statistics.resources, events: statistics.events } };
}

export function kubeSphereHistogramResponse(histogram: ArchiveHistogram): KubeSphereHistogramResponse {
  return {
    histogram: {
      total: histogram.total,
      buckets: histogram.buckets.map((bucket) => ({ time: bucket.time, count: bucket.count })),
    },
  };
}

/** Runs a parsed request against the store within the caller's scope and shapes the answer as ks-apiserver did. */
export async function answerKubeSphereAuditing(
  store: EventStore,
  request: KubeSphereAuditingRequest,
  scope: ArchiveScope,
): Promise<KubeSphereAuditingResponse> {
  const { sort: _sort, from: _from, size: _size, ...filter } = request.query;
  switch (request.operation) {
    case 'query':
      return kubeSphereQueryResponse(await store.query(request.query, scope));
    case 'statistics':
      return kubeSphereStatisticsResponse(await store.statistics(filter, scope));
    case 'histogram':
      return kubeSphereHistogramResponse(await store.histogram(filter, scope, request.interval));
  }
}
