import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

export const searchPageSize = 50;

/** One page of `GET /api/events`: newest first, `from` is the offset (KubeSphere's paging). */
export async function searchEvents(filter: Record<string, string>, from: number) {
  return okJson(
    api.events.$get({ query: { ...filter, from: String(from), size: String(searchPageSize), sort: 'desc' } }),
  );
}

export type SearchPage = Awaited<ReturnType<typeof searchEvents>>;
export type ArchivedRecord = SearchPage['records'][number];

export function searchEventsQuery(filter: Record<string, string>) {
  return infiniteQueryOptions({
    queryKey: ['search', 'events', filter],
    queryFn: ({ pageParam }) => searchEvents(filter, pageParam),
    initialPageParam: 0,
    getNextPageParam: (lastPage, pages) => {
      const loaded = pages.reduce((count, page) => count + page.records.length, 0);
      return lastPage.records.length > 0 && loaded < lastPage.total ? loaded : undefined;
    },
  });
}

/** The archive's matches, 50 at a time, for infinite scroll. */
export function useSearchEvents(filter: Record<string, string>) {
  return useInfiniteQuery(searchEventsQuery(filter));
}
