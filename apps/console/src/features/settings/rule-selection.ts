import { effectiveWebhookSettings, type Priority, priorities } from '@auditorium/audit-model';

/** The labels and items of a Rule CR, as far as selection goes. */
export interface RuleSummary {
  name: string;
  namespace?: string | undefined;
  labels: Record<string, string>;
  items: Array<{ name: string; type: string; priority?: string | undefined; enable?: boolean | undefined }>;
}

export function selectorMatches(matchLabels: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

function rank(priority: string | undefined): number {
  return priorities.indexOf(priority as Priority) + 1;
}

export interface SelectorCheck {
  /** The labels the receiver will use: the selector's, or the default when it is empty. */
  effectiveLabels: Record<string, string>;
  usesDefault: boolean;
  matchedRules: RuleSummary[];
  /** Enabled `rule` items of the matched CRs whose priority passes the threshold. */
  passingItems: number;
  ruleItems: number;
  /** A sentence to show when something is wrong, or undefined. */
  warning?: string;
}

/**
 * What a selector does with the Rule CRs in the cluster, the way the receiver reads it: an empty selector
 * means the default (`type: archiving` / `type: alerting`), only matchLabels count, and a rule item passes
 * when its priority is at least the threshold (reference §3.4).
 */
export function checkSelector(
  role: 'archiving' | 'alerting',
  spec: unknown,
  rules: readonly RuleSummary[],
): SelectorCheck {
  const settings = effectiveWebhookSettings(spec);
  const selector = role === 'archiving' ? settings.archivingRuleSelector : settings.alertingRuleSelector;
  const threshold = role === 'archiving' ? settings.archivingPriority : settings.alertingPriority;
  const raw = (spec && typeof spec === 'object' ? spec : {}) as {
    auditSinkPolicy?: Record<string, { matchLabels?: Record<string, string> } | undefined>;
  };
  const written = raw.auditSinkPolicy?.[`${role}RuleSelector`]?.matchLabels ?? {};
  const effectiveLabels = selector.matchLabels ?? {};
  const matchedRules = rules.filter((rule) => selectorMatches(effectiveLabels, rule.labels));
  const items = matchedRules.flatMap((rule) =>
    rule.items.filter((item) => item.type === 'rule' && item.enable !== false),
  );
  const passingItems = items.filter((item) => rank(item.priority) >= rank(threshold)).length;
  const check: SelectorCheck = {
    effectiveLabels,
    usesDefault: Object.keys(written).length === 0,
    matchedRules,
    passingItems,
    ruleItems: items.length,
  };
  const shown = Object.entries(effectiveLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  if (matchedRules.length === 0) {
    check.warning =
      written.type === 'persistence'
        ? `type=persistence matches no Rule: it comes from KubeSphere's docs, but the shipped rules are labelled type=${role}. With it, nothing is ${role === 'archiving' ? 'archived' : 'alerted on'}.`
        : `${shown || 'This selector'} matches no Rule CR in the cluster, so nothing is ${role === 'archiving' ? 'archived' : 'alerted on'} through it.`;
  } else if (items.length > 0 && passingItems === 0) {
    check.warning = `No enabled rule of the ${matchedRules.length} selected Rule CR${matchedRules.length === 1 ? '' : 's'} has priority ${threshold} or higher, so none of them ${role === 'archiving' ? 'archives' : 'alerts'}.`;
  }
  return check;
}
