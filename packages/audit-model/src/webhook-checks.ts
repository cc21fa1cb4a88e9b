import { auditLevelRank, type Priority, priorities } from './enums.ts';
import type { RuleResource } from './rule.ts';
import { effectiveWebhookSettings, type LabelSelector } from './webhook.ts';

/**
 * Misconfigurations of the Webhook that need only the Webhook spec and the Rule CRs to spot. Pure, so the
 * BFF runs them on the stored object (for the Overview) and the console on the draft while the user types
 * (beside the field being edited). Each problem names the Webhook field that fixes it.
 */
export type WebhookProblemCode =
  | 'archiving-selector-matches-nothing'
  | 'alerting-selector-matches-nothing'
  | 'archiving-priority-passes-nothing'
  | 'alerting-priority-passes-nothing'
  | 'rule-never-fires-at-level'
  | 'receiver-needs-one-target'
  | 'rules-unreadable';

export interface WebhookProblem {
  code: WebhookProblemCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** The Webhook field to change, e.g. `spec.auditSinkPolicy.archivingRuleSelector`. */
  field?: string;
  /** The Rule item concerned, for rule problems. */
  rule?: { namespace?: string; name: string; item: string };
}

export type SelectorRole = 'archiving' | 'alerting';

function labelsMatch(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  // The receiver, like KubeSphere's, honours only matchLabels (reference §2.2).
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels?.[key] === value);
}

function describeLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** A rule passes a threshold when its priority ranks at least as high; no or an unknown priority never does. */
function priorityRank(priority: string | undefined): number {
  return priorities.indexOf(priority as Priority) + 1;
}

/** What one selector picks from the cluster's Rule CRs, the way the receiver reads it. */
export interface SelectorSelection {
  /** The labels the receiver uses: the selector's, or the default when it is empty. */
  effectiveLabels: Record<string, string>;
  usesDefault: boolean;
  /** `namespace/name` of the matched Rule CRs. */
  matchedRules: string[];
  /** Enabled `rule` items of the matched CRs. */
  ruleItems: number;
  /** Of those, the ones whose priority reaches the role's threshold. */
  passingItems: number;
  threshold: Priority;
}

function ruleRef(rule: RuleResource): string {
  return rule.metadata.namespace ? `${rule.metadata.namespace}/${rule.metadata.name}` : rule.metadata.name;
}

export function selectorSelection(
  role: SelectorRole,
  spec: unknown,
  rules: readonly RuleResource[],
): SelectorSelection {
  const settings = effectiveWebhookSettings(spec);
  const selector = role === 'archiving' ? settings.archivingRuleSelector : settings.alertingRuleSelector;
  const threshold = role === 'archiving' ? settings.archivingPriority : settings.alertingPriority;
  const raw = (spec && typeof spec === 'object' ? spec : {}) as {
    auditSinkPolicy?: Record<string, { matchLabels?: Record<string, string> } | undefined>;
  };
  const written = raw.auditSinkPolicy?.[`${role}RuleSelector`]?.matchLabels ?? {};
  const matched = rules.filter((rule) => labelsMatch(selector, rule.metadata.labels));
  const items = matched.flatMap((rule) =>
    (rule.spec?.rules ?? []).filter((item) => item.type === 'rule' && item.enable !== false),
  );
  return {
    effectiveLabels: selector.matchLabels ?? {},
    usesDefault: Object.keys(written).length === 0,
    matchedRules: matched.map(ruleRef),
    ruleItems: items.length,
    passingItems: items.filter((item) => priorityRank(item.priority) >= priorityRank(threshold)).length,
    threshold,
  };
}

function selectionProblems(role: SelectorRole, spec: unknown, rules: readonly RuleResource[]): WebhookProblem[] {
  const selection = selectorSelection(role, spec, rules);
  const verb = role === 'archiving' ? 'archived' : 'alerted on';
  if (selection.matchedRules.length === 0) {
    const trap =
      selection.effectiveLabels.type === 'persistence'
        ? ` type=persistence comes from KubeSphere's docs, but the shipped ${role} rule is labelled type=${role}.`
        : '';
    const effect =
      role === 'archiving' ? 'nothing is archived except matches of alerting rules' : 'no rule can raise an alert';
    return [
      {
        code: `${role}-selector-matches-nothing`,
        severity: 'warning',
        message: `The ${role} rule selector (${describeLabels(selection.effectiveLabels)}) matches no Rule, so ${effect}.${trap}`,
        field: `spec.auditSinkPolicy.${role}RuleSelector`,
      },
    ];
  }
  if (selection.ruleItems > 0 && selection.passingItems === 0) {
    return [
      {
        code: `${role}-priority-passes-nothing`,
        severity: 'warning',
        message: `No enabled rule of the selected ${role} Rule CRs (${selection.matchedRules.join(', ')}) has priority ${selection.threshold} or higher, so nothing is ${verb} through them.`,
        field: `spec.${role}Priority`,
      },
    ];
  }
  return [];
}

/** Expands `${x}` / `${cr.x}` references (macros inline, aliases to their path) so we can see what a rule reads. */
function expandCondition(text: string, ownRule: string, items: Map<string, { macro?: string; alias?: string }>) {
  let expanded = text;
  for (let depth = 0; depth < 5 && expanded.includes('${'); depth++) {
    expanded = expanded.replace(/\$\{(.*?)\}/g, (token, key: string) => {
      const item = items.get(`${ownRule}.${key}`) ?? items.get(key);
      return item?.macro ?? item?.alias ?? token;
    });
  }
  return expanded;
}

function receiverProblems(spec: Record<string, unknown>): WebhookProblem[] {
  if (!Array.isArray(spec.receivers)) return [];
  return spec.receivers.flatMap((receiver, index): WebhookProblem[] => {
    const config = (receiver as { config?: { url?: unknown; service?: unknown } } | null)?.config ?? {};
    const targets = Number(config.url != null) + Number(config.service != null);
    if (targets === 1) return [];
    const name = (receiver as { name?: unknown } | null)?.name;
    return [
      {
        code: 'receiver-needs-one-target',
        severity: 'error',
        message: `Receiver ${typeof name === 'string' && name ? `"${name}"` : `#${index + 1}`} has ${
          targets === 0 ? 'neither url nor service' : 'both url and service'
        }; it needs exactly one, or no alert reaches it.`,
        field: `spec.receivers[${index}].config`,
      },
    ];
  });
}

function levelProblems(auditLevel: string, rules: readonly RuleResource[], selectors: LabelSelector[]) {
  const items = new Map<string, { macro?: string; alias?: string }>();
  for (const rule of rules) {
    for (const item of rule.spec?.rules ?? []) items.set(`${rule.metadata.name}.${item.name}`, item);
  }
  const rank = auditLevelRank(auditLevel);
  const problems: WebhookProblem[] = [];
  for (const rule of rules) {
    if (!selectors.some((selector) => labelsMatch(selector, rule.metadata.labels))) continue;
    for (const item of rule.spec?.rules ?? []) {
      if (item.type !== 'rule' || item.enable === false || !item.condition) continue;
      const condition = expandCondition(item.condition, rule.metadata.name, items);
      const needs = /\bResponseObject\b/.test(condition)
        ? { field: 'ResponseObject', level: 'RequestResponse' as const }
        : /\bRequestObject\b/.test(condition)
          ? { field: 'RequestObject', level: 'Request' as const }
          : undefined;
      if (!needs || rank >= auditLevelRank(needs.level)) continue;
      const concerned: WebhookProblem['rule'] = { name: rule.metadata.name, item: item.name };
      if (rule.metadata.namespace) concerned.namespace = rule.metadata.namespace;
      problems.push({
        code: 'rule-never-fires-at-level',
        severity: 'warning',
        message: `Rule ${rule.metadata.name}/${item.name} reads ${needs.field}, but auditLevel is ${auditLevel}: KubeSphere events carry no ${needs.field} below ${needs.level}, so it never fires for them. (Kubernetes events carry it only where the kube-apiserver audit policy records ${needs.level}.)`,
        field: 'spec.auditLevel',
        rule: concerned,
      });
    }
  }
  return problems;
}

/**
 * Every problem of `spec` against `rules`. `rules` undefined means they could not be read (no permission):
 * the rule-dependent checks are skipped, and the result says so.
 */
export function findWebhookProblems(
  spec: unknown,
  rules: readonly RuleResource[] | undefined,
  rulesError?: string,
): WebhookProblem[] {
  const rawSpec = (spec && typeof spec === 'object' ? spec : {}) as Record<string, unknown>;
  const settings = effectiveWebhookSettings(rawSpec);
  const problems: WebhookProblem[] = receiverProblems(rawSpec);
  if (!rules) {
    problems.push({
      code: 'rules-unreadable',
      severity: 'info',
      message: `The Rule checks were skipped: ${rulesError ?? 'you may not list Rules'}.`,
    });
    return problems;
  }
  problems.push(
    ...selectionProblems('archiving', rawSpec, rules),
    ...selectionProblems('alerting', rawSpec, rules),
    ...levelProblems(settings.auditLevel, rules, [settings.archivingRuleSelector, settings.alertingRuleSelector]),
  );
  return problems;
}
