import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

/**
 * `GET /api/overview`: the receiver's counters (rate, received / archived / alerted / dropped with
 * reasons, the last event per source).
 */
export async function getPipelineStats() {
  return okJson(api.overview.$get());
}

export const pipelineStatsQuery = () =>
  queryOptions({ queryKey: ['overview', 'pipeline'], queryFn: getPipelineStats, refetchInterval: 2_000 });

export function usePipelineStats() {
  return useQuery(pipelineStatsQuery());
}
