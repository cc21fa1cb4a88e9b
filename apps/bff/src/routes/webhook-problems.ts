import {
  auditLevelRank,
  effectiveWebhookSettings,
  type LabelSelector,
  type RuleResource,
} from '@auditorium/audit-model';

/**
 * Misconfigurations that need only the Webhook and the Rule CRs to spot. Each problem names the field to
 * fix so the console can show it beside the form field.
 */
export type WebhookProblemCode =
  | 'archiving-selector-matches-nothing'
  | 'alerting-selector-matches-nothing'
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

function labelsMatch(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  // The webhook honours only matchLabels (reference §2.2).
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels?.[key] === value);
}

function describeSelector(selector: LabelSelector): string {
  return Object.entries(selector.matchLabels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
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

function selectorProblems(
  role: 'archiving' | 'alerting',
  selector: LabelSelector,
  rules: RuleResource[],
): WebhookProblem[] {
  if (rules.some((rule) => labelsMatch(selector, rule.metadata.labels))) return [];
  const shown = describeSelector(selector);
  const trap =
    selector.matchLabels?.type === 'persistence'
      ? " KubeSphere's docs show type: persistence, but the shipped archiving rule is labelled type: archiving."
      : '';
  const effect =
    role === 'archiving' ? 'nothing is archived except matches of alerting rules' : 'no rule can raise an alert';
  return [
    {
      code: `${role}-selector-matches-nothing`,
      severity: 'warning',
      message: `The ${role} rule selector (${shown}) matches no Rule, so ${effect}.${trap}`,
      field: `spec.auditSinkPolicy.${role}RuleSelector`,
    },
  ];
}

function receiverProblems(spec: Record<string, unknown>): WebhookProblem[] {
  if (!Array.isArray(spec.receivers)) return [];
  return spec.receivers.flatMap((receiver, index): WebhookProblem[] => {
    const config = (receiver as { config?: { url?: unknown; service?: unknown } } | null)?.config ?? {};
    const targets = Number(config.url !== undefined) + Number(config.service !== undefined);
    if (targets === 1) return [];
    const name = (receiver as { name?: unknown } | null)?.name;
    return [
      {
        code: 'receiver-needs-one-target',
        severity: 'error',
        message: `Receiver ${typeof name === 'string' ? `"${name}"` : `#${index + 1}`} has ${
          targets === 0 ? 'neither url nor service' : 'both url and service'
        }; it needs exactly one, or no alert reaches it.`,
        field: `spec.receivers[${index}].config`,
      },
    ];
  });
}

function levelProblems(auditLevel: string, rules: RuleResource[], selectors: LabelSelector[]): WebhookProblem[] {
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
      const ruleRef: WebhookProblem['rule'] = { name: rule.metadata.name, item: item.name };
      if (rule.metadata.namespace) ruleRef.namespace = rule.metadata.namespace;
      problems.push({
        code: 'rule-never-fires-at-level',
        severity: 'warning',
        message: `Rule ${rule.metadata.name}/${item.name} reads ${needs.field}, but auditLevel is ${auditLevel}: KubeSphere events carry no ${needs.field} below ${needs.level}, so it never fires for them. (Kubernetes events carry it only where the kube-apiserver audit policy records ${needs.level}.)`,
        field: 'spec.auditLevel',
        rule: ruleRef,
      });
    }
  }
  return problems;
}

/**
 * `rules` undefined means the user may not read Rules: the rule-dependent checks are skipped and said so.
 */
export function findWebhookProblems(spec: unknown, rules: RuleResource[] | undefined, rulesError?: string) {
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
    ...selectorProblems('archiving', settings.archivingRuleSelector, rules),
    ...selectorProblems('alerting', settings.alertingRuleSelector, rules),
    ...levelProblems(settings.auditLevel, rules, [settings.archivingRuleSelector, settings.alertingRuleSelector]),
  );
  return problems;
}
