import type { RuleView } from './api/list-rules.ts';
import type { PlaygroundRequest } from './api/test-rules.ts';

/** The playground's tested item, named so matches and errors can say where they came from. */
export const playgroundItem = 'playground';

export const sampleSizes = [20, 50, 100, 200, 500] as const;

/**
 * What the playground asks the BFF for the condition being typed. A plain condition is tested as it is; one
 * with `${…}` references is tested as the one rule of a Rule CR, so the references expand: `${cr.item}`
 * against the cluster's Rules, a bare `${item}` against the macros, lists and aliases of `context` (the
 * Rule CR whose item the user chose to try).
 */
export function playgroundRequest(
  condition: string,
  sampleSize: number,
  context: RuleView | undefined,
): PlaygroundRequest | undefined {
  if (condition.trim() === '') return undefined;
  const sample = { size: sampleSize };
  if (!condition.includes('${')) return { condition, sample };
  const definitions = (context?.items ?? [])
    .filter((item) => item.type === 'macro' || item.type === 'list' || item.type === 'alias')
    .map(({ load: _load, ...item }) => item);
  return {
    sample,
    rule: {
      metadata: {
        name: context?.name ?? playgroundItem,
        ...(context?.namespace ? { namespace: context.namespace } : {}),
      },
      spec: {
        rules: [...definitions, { name: playgroundItem, type: 'rule', condition, enable: true, priority: 'WARNING' }],
      },
    },
  };
}

/** A Rule CR as listed, tested whole: its labels decide archiving and alerting, as the receiver's would. */
export function wholeRuleRequest(rule: RuleView, sampleSize: number): PlaygroundRequest {
  return {
    sample: { size: sampleSize },
    rule: {
      metadata: { name: rule.name, ...(rule.namespace ? { namespace: rule.namespace } : {}), labels: rule.labels },
      spec: { rules: rule.items.map(({ load: _load, checks: _checks, ...item }) => item) },
    },
  };
}
