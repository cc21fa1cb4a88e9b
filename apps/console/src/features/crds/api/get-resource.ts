import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import type { KubeObject } from '../../../lib/yaml-editor/resource-yaml.ts';
import { crdKeys } from './crd-keys.ts';

export interface ObjectAddress {
  /** The CRD's name, `rules.auditing.kubesphere.io`. */
  crd: string;
  /** For namespaced CRDs. */
  namespace: string | undefined;
  object: string;
}

/** One object of a CRD, whole. */
export async function getResource({ crd, namespace, object }: ObjectAddress): Promise<KubeObject> {
  const resources = api.crds[':name'].resources;
  const body = namespace
    ? await okJson(resources[':namespace'][':objName'].$get({ param: { name: crd, namespace, objName: object } }))
    : await okJson(resources[':objName'].$get({ param: { name: crd, objName: object } }));
  return body as KubeObject;
}

export const resourceQueryOptions = (address: ObjectAddress) =>
  queryOptions({
    queryKey: crdKeys.object(address.crd, address.namespace, address.object),
    queryFn: () => getResource(address),
    // The editor keeps its own draft; a refetch in the background would only confuse "changed" checks.
    refetchOnWindowFocus: false,
  });

export function useResource(address: ObjectAddress) {
  return useQuery(resourceQueryOptions(address));
}
