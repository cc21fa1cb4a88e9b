import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { crdKeys } from './crd-keys.ts';
import type { ObjectAddress } from './get-resource.ts';

/**
 * Whether the signed-in user may change this object (a SelfSubjectAccessReview through the BFF), so the
 * editor is read-only with the cluster's reason instead of failing on save. `/api/me` cannot say it: the
 * answer depends on the CRD, the namespace and the object.
 */
export async function getResourceAccess({ crd, namespace, object }: ObjectAddress) {
  return okJson(
    api.crds[':name'].access.$get({ param: { name: crd }, query: namespace ? { namespace, object } : { object } }),
  );
}

export type ResourceAccess = Awaited<ReturnType<typeof getResourceAccess>>;

export const resourceAccessQueryOptions = (address: ObjectAddress) =>
  queryOptions({
    queryKey: crdKeys.access(address.crd, address.namespace, address.object),
    queryFn: () => getResourceAccess(address),
    staleTime: 30_000,
  });

export function useResourceAccess(address: ObjectAddress) {
  return useQuery(resourceAccessQueryOptions(address));
}
