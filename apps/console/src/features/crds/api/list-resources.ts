import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { crdKeys } from './crd-keys.ts';

const pageSize = 50;

/** One page of a CRD's objects with their printer-column cells; `continue` fetches the next page. */
export async function listResources(name: string, namespace: string | undefined, continueToken: string | undefined) {
  const query: { limit: string; namespace?: string; continue?: string } = { limit: String(pageSize) };
  if (namespace) query.namespace = namespace;
  if (continueToken) query.continue = continueToken;
  return okJson(api.crds[':name'].resources.$get({ param: { name }, query }));
}

export type ResourcePage = Awaited<ReturnType<typeof listResources>>;
export type ResourceRow = ResourcePage['items'][number];

export const resourcesQueryOptions = (name: string, namespace: string | undefined) =>
  infiniteQueryOptions({
    queryKey: crdKeys.resources(name, namespace),
    queryFn: ({ pageParam }) => listResources(name, namespace, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.continue,
  });

export function useResources(name: string, namespace: string | undefined) {
  return useInfiniteQuery(resourcesQueryOptions(name, namespace));
}
