import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { ApiError, statusOf } from '../../../lib/api-error.ts';
import type { KubeObject } from '../../../lib/yaml-editor/resource-yaml.ts';
import type { SaveFn, SaveOutcome } from '../../../lib/yaml-editor/use-edit-session.ts';
import { crdKeys } from './crd-keys.ts';
import type { ObjectAddress } from './get-resource.ts';

type PutJson = Parameters<(typeof api.crds)[':name']['resources'][':objName']['$put']>[0]['json'];

/** Replaces one object on the version it carries; a 409 answers with the object as it is now. */
export async function saveResource(address: ObjectAddress, object: KubeObject, dryRun: boolean): Promise<SaveOutcome> {
  const resources = api.crds[':name'].resources;
  const query = dryRun ? { dryRun: 'All' as const } : {};
  const json = object as PutJson;
  const response = address.namespace
    ? await resources[':namespace'][':objName'].$put({
        param: { name: address.crd, namespace: address.namespace, objName: address.object },
        query,
        json,
      })
    : await resources[':objName'].$put({ param: { name: address.crd, objName: address.object }, query, json });
  if (response.status === 409) {
    const conflict = await response.json();
    return { outcome: 'conflict', live: conflict.live as KubeObject };
  }
  if (!response.ok) throw new ApiError(await statusOf(response));
  const written = await response.json();
  return { outcome: 'stored', object: written.object as KubeObject };
}

/** The save function for the editor; a real save invalidates the CRD's lists and counts. */
export function useSaveResource(address: ObjectAddress): SaveFn {
  const queryClient = useQueryClient();
  return async (object, { dryRun }) => {
    const outcome = await saveResource(address, object, dryRun);
    if (!dryRun && outcome.outcome === 'stored') void queryClient.invalidateQueries({ queryKey: crdKeys.all });
    return outcome;
  };
}
