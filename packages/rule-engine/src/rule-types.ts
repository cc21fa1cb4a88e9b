/**
 * The inputs of rule loading, typed structurally (the shapes of `rules.auditing.kubesphere.io` and of the
 * `kube-auditing-webhook` settings, reference §2.2 and §3.2). They are deliberately loose (`string` rather
 * than enums, everything optional) because Rule CRs come from the cluster unvalidated, and loading must
 * report what is wrong with them rather than refuse to type-check.
 */
import type { LabelSelector } from './label-selector.ts';

export const ruleItemTypes = ['rule', 'macro', 'list', 'alias'] as const;
export type RuleItemType = (typeof ruleItemTypes)[number];

/** One entry of a Rule CR's `spec.rules` (KubeSphere's PolicyRule). */
export interface PolicyRuleItem {
  name?: string;
  type?: string;
  desc?: string;
  /** `type: rule`: the condition, which may contain `${…}` references. */
  condition?: string;
  /** `type: macro`: a condition fragment. */
  macro?: string;
  /** `type: list`: values, referenced as `("a","b")`. */
  list?: readonly string[] | null;
  /** `type: alias`: a field path such as `ObjectRef.Namespace`. */
  alias?: string;
  /** Go serialises this bool without omitempty: absent means false, i.e. disabled. */
  enable?: boolean | null;
  /** Alert message template with `${…}` placeholders. */
  output?: string;
  priority?: string;
}

export interface RuleCR {
  metadata: {
    name: string;
    namespace?: string;
    /** The labels decide, through the webhook's selectors, whether the CR's rules archive or alert. */
    labels?: Readonly<Record<string, string>> | null;
  };
  spec?: { rules?: readonly PolicyRuleItem[] | null } | null;
}

/** The parts of the Webhook CR's spec that rule loading reads. */
export interface WebhookRuleSettings {
  archivingPriority?: string | null;
  alertingPriority?: string | null;
  /** From `spec.auditSinkPolicy.archivingRuleSelector`. */
  archivingRuleSelector?: LabelSelector | null;
  /** From `spec.auditSinkPolicy.alertingRuleSelector`. */
  alertingRuleSelector?: LabelSelector | null;
}
