import { auditingGroup, rulePlural } from '@auditorium/audit-model';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { ApiError, okJson, statusOf } from '../../../lib/api-error.ts';
import type { KubeObject } from '../../../lib/yaml-editor/resource-yaml.ts';
import type { JsonSchema } from '../../../lib/yaml-editor/types.ts';
import type { SaveFn, SaveOutcome } from '../../../lib/yaml-editor/use-edit-session.ts';
import { ruleKeys } from './rule-keys.ts';

/**
 * One Rule CR through the BFF's generic custom-resource API (crds.ts): read it whole, dry-run and replace
 * it on the version it carries, and the Rule CRD's schema for the YAML editor.
 */
const ruleCrd = `${rulePlural}.${auditingGroup}`;
const objects = api.crds[':name'].resources[':namespace'][':objName'];

export interface RuleAddress {
  namespace: string;
  name: string;
}

export async function getRuleObject({ namespace, name }: RuleAddress): Promise<KubeObject> {
  return (await okJson(objects.$get({ param: { name: ruleCrd, namespace, objName: name } }))) as KubeObject;
}

export const ruleObjectQueryOptions = (address: RuleAddress) =>
  queryOptions({
    queryKey: ruleKeys.object(address.namespace, address.name),
    queryFn: () => getRuleObject(address),
    // The editor keeps its own draft; a background refetch would only confuse its "changed" checks.
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
  });

export function useRuleObject(address: RuleAddress) {
  return useQuery(ruleObjectQueryOptions(address));
}

type PutJson = Parameters<typeof objects.$put>[0]['json'];

/** Replaces the Rule on the resourceVersion it carries; a 409 answers with the Rule as it is now. */
export async function saveRuleObject(address: RuleAddress, rule: KubeObject, dryRun: boolean): Promise<SaveOutcome> {
  const response = await objects.$put({
    param: { name: ruleCrd, namespace: address.namespace, objName: address.name },
    query: dryRun ? { dryRun: 'All' } : {},
    json: rule as PutJson,
  });
  if (response.status === 409) {
    const conflict = await response.json();
    return { outcome: 'conflict', live: conflict.live as KubeObject };
  }
  if (!response.ok) throw new ApiError(await statusOf(response));
  const written = await response.json();
  return { outcome: 'stored', object: written.object as KubeObject };
}

/** The editor's save function; a real save refreshes the Rules list (load states follow within seconds). */
export function useSaveRuleObject(address: RuleAddress): SaveFn {
  const queryClient = useQueryClient();
  return async (rule, { dryRun }) => {
    const outcome = await saveRuleObject(address, rule, dryRun);
    if (!dryRun && outcome.outcome === 'stored') void queryClient.invalidateQueries({ queryKey: ruleKeys.list() });
    return outcome;
  };
}

/** The Rule CRD's openAPIV3Schema; null when the user may not read CRDs (audit-model's overlay still applies). */
export async function getRuleSchema(): Promise<JsonSchema | null> {
  const crd = await okJson(api.crds[':name'].schema.$get({ param: { name: ruleCrd } }));
  return (crd.schema ?? null) as JsonSchema | null;
}

export function useRuleSchema() {
  return useQuery({ queryKey: ruleKeys.schema(), queryFn: getRuleSchema, staleTime: 10 * 60_000, retry: false });
}
