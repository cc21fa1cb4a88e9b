import { auditingGroup, failureStatus, type RuleItem, rulePlural } from '@auditorium/audit-model';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api-error.ts';
import { saveCustomObject } from '../../../lib/custom-object-api.ts';
import type { KubeObject } from '../../../lib/yaml-editor/resource-yaml.ts';
import { ruleKeys } from './rule-keys.ts';
import { getRuleObject, type RuleAddress } from './rule-object.ts';

export interface AddRuleItemInput {
  target: RuleAddress;
  item: RuleItem;
}

/** Someone else saving the Rule between our read and write is retried on their version this often. */
const attempts = 3;

/**
 * Appends one item to a Rule CR: reads it fresh, adds the item, replaces it on the version read. A 409
 * means the Rule changed in between; appending to the newer version is still what the user asked, so it
 * is read again and retried. An item whose name is taken is refused: KubeSphere keeps the later of two
 * namesakes, so adding it would silently replace the existing one.
 */
export async function addRuleItem({ target, item }: AddRuleItemInput): Promise<KubeObject> {
  for (let attempt = 1; ; attempt++) {
    const rule = await getRuleObject(target);
    const spec = (rule.spec ?? {}) as { rules?: Array<{ name?: string }> };
    const items = spec.rules ?? [];
    if (items.some((existing) => existing.name === item.name)) {
      const message = `Rule ${target.namespace}/${target.name} already has an item named ${item.name}; choose another name`;
      throw new ApiError(
        failureStatus(422, 'Invalid', message, {
          name: target.name,
          kind: 'Rule',
          causes: [{ reason: 'FieldValueDuplicate', message, field: 'name' }],
        }),
      );
    }
    const updated: KubeObject = { ...rule, spec: { ...spec, rules: [...items, item] } };
    const address = { crd: `${rulePlural}.${auditingGroup}`, namespace: target.namespace, object: target.name };
    const outcome = await saveCustomObject(address, updated, false);
    if (outcome.outcome === 'stored') return outcome.object;
    if (attempt >= attempts) {
      throw new ApiError(
        failureStatus(
          409,
          'Conflict',
          `Rule ${target.namespace}/${target.name} kept changing while the item was added; try again.`,
        ),
      );
    }
  }
}

export function useAddRuleItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addRuleItem,
    onSuccess: (_stored, { target }) => {
      void queryClient.invalidateQueries({ queryKey: ruleKeys.list() });
      void queryClient.invalidateQueries({ queryKey: ruleKeys.object(target.namespace, target.name) });
    },
  });
}
