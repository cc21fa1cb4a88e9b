import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

/** `GET /api/events/histogram`: counts per bucket of `interval` (KubeSphere's `15m` form). */
export async function getHistogram(filter: Record<string, string>, interval: string) {
  return okJson(api.events.histogram.$get({ query: { ...filter, interval } }));
}

export type Histogram = Awaited<ReturnType<typeof getHistogram>>;

export function histogramQuery(filter: Record<string, string>, interval: string) {
  return queryOptions({
    queryKey: ['search', 'histogram', filter, interval],
    queryFn: () => getHistogram(filter, interval),
  });
}

export function useHistogram(filter: Record<string, string>, interval: string) {
  return useQuery(histogramQuery(filter, interval));
}
