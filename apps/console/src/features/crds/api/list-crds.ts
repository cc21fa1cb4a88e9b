import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { crdKeys } from './crd-keys.ts';

export type CrdScope = 'Namespaced' | 'Cluster';

/**
 * CRDs whose name, group, kind, plural, short name or category contains `query` (and of `scope`, when
 * given), each with its object count.
 */
export async function listCrds(query: string, scope: CrdScope | undefined) {
  return okJson(api.crds.$get({ query: { q: query, counts: 'true', ...(scope ? { scope } : {}) } }));
}

export type CrdListItem = Awaited<ReturnType<typeof listCrds>>['items'][number];

export const crdListQueryOptions = (query: string, scope: CrdScope | undefined) =>
  queryOptions({
    queryKey: crdKeys.list(query, scope),
    queryFn: () => listCrds(query, scope),
    placeholderData: keepPreviousData,
  });

export function useCrdList(query: string, scope: CrdScope | undefined) {
  return useQuery(crdListQueryOptions(query, scope));
}
