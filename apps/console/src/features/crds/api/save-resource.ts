import { useQueryClient } from '@tanstack/react-query';
import { saveCustomObject } from '../../../lib/custom-object-api.ts';
import type { KubeObject } from '../../../lib/yaml-editor/resource-yaml.ts';
import type { SaveFn, SaveOutcome } from '../../../lib/yaml-editor/use-edit-session.ts';
import { crdKeys } from './crd-keys.ts';
import type { ObjectAddress } from './get-resource.ts';

/** Replaces one object on the version it carries; a 409 answers with the object as it is now. */
export async function saveResource(address: ObjectAddress, object: KubeObject, dryRun: boolean): Promise<SaveOutcome> {
  return saveCustomObject(address, object, dryRun);
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
