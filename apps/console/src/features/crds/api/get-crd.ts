import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { crdKeys } from './crd-keys.ts';

/** One CRD: names, scope, versions and its printer columns. */
export async function getCrd(name: string) {
  return okJson(api.crds[':name'].$get({ param: { name } }));
}

export type CrdDetail = Awaited<ReturnType<typeof getCrd>>;

export const crdQueryOptions = (name: string) =>
  queryOptions({ queryKey: crdKeys.detail(name), queryFn: () => getCrd(name), staleTime: 60_000 });

export function useCrd(name: string) {
  return useQuery(crdQueryOptions(name));
}
