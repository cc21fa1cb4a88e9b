/**
 * Kubernetes label selectors (metav1.LabelSelector) as the webhook's `archivingRuleSelector` and
 * `alertingRuleSelector` use them to pick Rule CRs by their labels. Both `matchLabels` and
 * `matchExpressions` are honoured and ANDed, as in Kubernetes; KubeSphere's webhook only read
 * `matchLabels`. An expression Kubernetes would reject (unknown operator, In/NotIn without values,
 * Exists/DoesNotExist with values) matches nothing, and `labelSelectorProblems` says why.
 */

export const labelSelectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type LabelSelectorOperator = (typeof labelSelectorOperators)[number];

export interface LabelSelectorRequirement {
  key: string;
  /** One of `labelSelectorOperators`; typed loosely because selectors arrive unvalidated from the cluster. */
  operator: string;
  values?: readonly string[] | null;
}

export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: readonly LabelSelectorRequirement[] | null;
}

export type Labels = Readonly<Record<string, string>>;

export function matchesLabelSelector(selector: LabelSelector, labels: Labels | undefined): boolean {
  const own = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(own, key) || own[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    if (!requirementHolds(requirement, own)) return false;
  }
  return true;
}

function requirementHolds(requirement: LabelSelectorRequirement, labels: Labels): boolean {
  if (requirementProblem(requirement) !== undefined) return false;
  const present = Object.hasOwn(labels, requirement.key);
  const values = requirement.values ?? [];
  switch (requirement.operator as LabelSelectorOperator) {
    case 'In':
      return present && values.includes(labels[requirement.key] as string);
    case 'NotIn':
      return !present || !values.includes(labels[requirement.key] as string);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
  }
}

/** Why Kubernetes would reject the selector; empty when it is valid. */
export function labelSelectorProblems(selector: LabelSelector): string[] {
  const problems: string[] = [];
  (selector.matchExpressions ?? []).forEach((requirement, i) => {
    const problem = requirementProblem(requirement);
    if (problem !== undefined) problems.push(`matchExpressions[${i}]: ${problem}`);
  });
  return problems;
}

function requirementProblem(requirement: LabelSelectorRequirement): string | undefined {
  if (!requirement.key) return 'key is required';
  const count = requirement.values?.length ?? 0;
  switch (requirement.operator) {
    case 'In':
    case 'NotIn':
      return count === 0 ? `operator ${requirement.operator} needs at least one value` : undefined;
    case 'Exists':
    case 'DoesNotExist':
      return count > 0 ? `operator ${requirement.operator} takes no values` : undefined;
    default:
      return `unknown operator ${JSON.stringify(requirement.operator)}; use one of ${labelSelectorOperators.join(', ')}`;
  }
}

/** True when the selector has neither labels nor expressions (the webhook then uses its default). */
export function isEmptyLabelSelector(selector: LabelSelector | null | undefined): boolean {
  if (!selector) return true;
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}
