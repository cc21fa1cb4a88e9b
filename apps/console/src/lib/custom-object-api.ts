import { api } from './api-client.ts';
import { ApiError, statusOf } from './api-error.ts';
import type { KubeObject } from './yaml-editor/resource-yaml.ts';
import type { SaveOutcome } from './yaml-editor/use-edit-session.ts';

/**
 * Replacing one custom resource through the BFF's CRD API (`PUT /api/crds/:crd/resources/…`), as the YAML
 * editor's save does it: on the resourceVersion the object carries, optionally as a dry run; a 409 answers
 * with the object as it is now. Here, not in a feature, because every feature that edits a custom resource
 * (CRDs, Rules) saves it the same way.
 */
export interface CustomObjectAddress {
  /** The CRD's name, `rules.auditing.kubesphere.io`. */
  crd: string;
  /** For namespaced CRDs. */
  namespace: string | undefined;
  object: string;
}

type PutJson = Parameters<(typeof api.crds)[':name']['resources'][':objName']['$put']>[0]['json'];

export async function saveCustomObject(
  address: CustomObjectAddress,
  object: KubeObject,
  dryRun: boolean,
): Promise<SaveOutcome> {
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
