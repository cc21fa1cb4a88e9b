import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { crdKeys } from './crd-keys.ts';

/** CRDs whose name, group, kind, plural, short name or category contains `query`, each with its object count. */
export async function listCrds(query: string) {
  return okJson(api.crds.$get({ query: { q: query, counts: 'true' } }));
}

export type CrdListItem = Awaited<ReturnType<typeof listCrds>>['items'][number];

export const crdListQueryOptions = (query: string) =>
  queryOptions({
    queryKey: crdKeys.list(query),
    queryFn: () => listCrds(query),
    placeholderData: keepPreviousData,
  });

export function useCrdList(query: string) {
  return useQuery(crdListQueryOptions(query));
}
