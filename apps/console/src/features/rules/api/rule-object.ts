import { auditingGroup, rulePlural } from '@auditorium/audit-model';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { saveCustomObject } from '../../../lib/custom-object-api.ts';
import type { KubeObject } from '../../../lib/yaml-editor/resource-yaml.ts';
import type { JsonSchema } from '../../../lib/yaml-editor/types.ts';
import type { SaveFn } from '../../../lib/yaml-editor/use-edit-session.ts';
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

/** The editor's save function; a real save refreshes the Rules list (load states follow within seconds). */
export function useSaveRuleObject(address: RuleAddress): SaveFn {
  const queryClient = useQueryClient();
  return async (rule, { dryRun }) => {
    const outcome = await saveCustomObject(
      { crd: ruleCrd, namespace: address.namespace, object: address.name },
      rule,
      dryRun,
    );
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
