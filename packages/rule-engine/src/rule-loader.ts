/**
 * Loading Rule CRs into evaluable rules, following KubeSphere's webhook (reference §3.4):
 *  1. The webhook's priorities are normalised (invalid or empty: DEBUG for archiving, WARNING for
 *     alerting) and its selectors defaulted (absent or empty: `type=archiving` / `type=alerting`).
 *  2. Every item of every Rule CR is indexed as `<CR name>.<item name>` (CRs are keyed by name only,
 *     whatever their namespace).
 *  3. Each `type: rule` item has its `${…}` references expanded (see references.ts) and its condition
 *     compiled once; its `output` is compiled into a message renderer.
 *  4. Flags: a rule of a CR selected by the alerting selector always archives, and alerts when its
 *     priority ≥ alertingPriority; a rule of a CR selected by the archiving selector archives when its
 *     priority ≥ archivingPriority.
 *
 * Improvements over KubeSphere:
 *  - A rule that cannot be loaded (unresolved reference, macro cycle, syntax error, missing condition,
 *    unknown type, duplicate name) is reported with its CR, item and the reason, instead of only logged.
 *  - Selectors honour `matchExpressions` (In, NotIn, Exists, DoesNotExist) as well as `matchLabels`.
 *  - Nested macros and parenthesised macro insertion (references.ts).
 *  - Warnings for what KubeSphere accepts silently but that makes a rule inert: no `enable` (Go reads it as
 *    false) or a priority that is not exactly DEBUG, INFO or WARNING (ranks below every threshold).
 * Disabled rules (`enable: false`) are loaded, compiled and checked, but marked disabled.
 */
import { type CompiledCondition, compileCondition } from './compile.ts';
import { ConditionSyntaxError } from './condition-errors.ts';
import type { FlatEvent } from './flatten.ts';
import {
  isEmptyLabelSelector,
  type LabelSelector,
  type Labels,
  labelSelectorProblems,
  matchesLabelSelector,
} from './label-selector.ts';
import { compileOutputTemplate, defaultAlertMessage, type MessageRenderer } from './output-template.ts';
import { isPriority, meetsPriority, normalisePriority, type Priority, priorities } from './priority.ts';
import { type IndexedItem, type ItemIndex, ReferenceExpander, RuleReferenceError, textOf } from './references.ts';
import { type PolicyRuleItem, type RuleCR, ruleItemTypes, type WebhookRuleSettings } from './rule-types.ts';

export interface LoadedRule {
  /** `<Rule CR name>.<item name>`: unique, unlike `name`. */
  id: string;
  /** The item name; the alert's `alertname`. */
  name: string;
  ruleCR: string;
  namespace: string | undefined;
  /** The Rule CR's labels, which decided `archiving` and `alerting`. */
  labels: Labels;
  description: string | undefined;
  /** Undefined when the item's priority is not exactly DEBUG, INFO or WARNING. */
  priority: Priority | undefined;
  enabled: boolean;
  /** Whether a match archives the event. */
  archiving: boolean;
  /** Whether a match raises an alert. */
  alerting: boolean;
  /** The condition as written in the CR. */
  condition: string;
  /** The condition after reference expansion, which is what was compiled. */
  expandedCondition: string;
  compiled: CompiledCondition;
  output: string | undefined;
  /** The alert message for an event: the rendered `output`, or KubeSphere's default message. */
  message(event: FlatEvent): string;
}

export interface RuleLoadError {
  /** Absent for problems of the webhook settings. */
  ruleCR?: string;
  namespace?: string;
  /** Absent for problems of the webhook settings or of a whole CR. */
  item?: string;
  reason: string;
}

export interface EffectiveRuleSettings {
  archivingPriority: Priority;
  alertingPriority: Priority;
  archivingRuleSelector: LabelSelector;
  alertingRuleSelector: LabelSelector;
}

export interface RuleLoadResult {
  /** Every `type: rule` item that compiled, enabled or not, in CR and item order. */
  rules: LoadedRule[];
  /** Items (or settings) that could not be used. */
  errors: RuleLoadError[];
  /** Loaded, but probably not doing what was meant. */
  warnings: RuleLoadError[];
  /** The webhook settings after normalisation and defaults, as they were applied. */
  settings: EffectiveRuleSettings;
}

export const defaultArchivingRuleSelector: LabelSelector = { matchLabels: { type: 'archiving' } };
export const defaultAlertingRuleSelector: LabelSelector = { matchLabels: { type: 'alerting' } };

export function loadRules(ruleCRs: readonly RuleCR[], webhookSettings: WebhookRuleSettings = {}): RuleLoadResult {
  const errors: RuleLoadError[] = [];
  const warnings: RuleLoadError[] = [];
  const settings = resolveSettings(webhookSettings, errors, warnings);
  const { index, sources } = indexItems(ruleCRs, errors, warnings);
  const expander = new ReferenceExpander(index);
  const rules: LoadedRule[] = [];
  for (const [id, entry] of index) {
    if (entry.item.type !== 'rule') continue;
    const source = sources.get(id) as RuleCR;
    const rule = loadRule(id, entry, source, settings, index, expander, errors, warnings);
    if (rule) rules.push(rule);
  }
  return { rules, errors, warnings, settings };
}

function resolveSettings(
  webhook: WebhookRuleSettings,
  errors: RuleLoadError[],
  warnings: RuleLoadError[],
): EffectiveRuleSettings {
  const priority = (field: 'archivingPriority' | 'alertingPriority', fallback: Priority): Priority => {
    const value = webhook[field];
    if (value && !isPriority(value)) {
      warnings.push({
        reason: `${field} ${JSON.stringify(value)} is not one of ${priorities.join(', ')}; using ${fallback}`,
      });
    }
    return normalisePriority(value, fallback);
  };
  const selector = (
    field: 'archivingRuleSelector' | 'alertingRuleSelector',
    fallback: LabelSelector,
  ): LabelSelector => {
    const value = webhook[field];
    if (isEmptyLabelSelector(value)) return fallback;
    for (const problem of labelSelectorProblems(value as LabelSelector)) {
      errors.push({ reason: `${field}: ${problem}; the selector matches no Rule CR` });
    }
    return value as LabelSelector;
  };
  return {
    archivingPriority: priority('archivingPriority', 'DEBUG'),
    alertingPriority: priority('alertingPriority', 'WARNING'),
    archivingRuleSelector: selector('archivingRuleSelector', defaultArchivingRuleSelector),
    alertingRuleSelector: selector('alertingRuleSelector', defaultAlertingRuleSelector),
  };
}

function indexItems(
  ruleCRs: readonly RuleCR[],
  errors: RuleLoadError[],
  warnings: RuleLoadError[],
): { index: Map<string, IndexedItem>; sources: Map<string, RuleCR> } {
  const index = new Map<string, IndexedItem>();
  const sources = new Map<string, RuleCR>();
  const namespaceOf = new Map<string, string | undefined>();
  for (const cr of ruleCRs) {
    const ruleCR = cr?.metadata?.name;
    const namespace = cr?.metadata?.namespace;
    if (!ruleCR) {
      errors.push({ ...(namespace ? { namespace } : {}), reason: 'a Rule CR without metadata.name is ignored' });
      continue;
    }
    const where = namespace ? { ruleCR, namespace } : { ruleCR };
    if (namespaceOf.has(ruleCR)) {
      warnings.push({
        ...where,
        reason:
          `Rule CR name ${ruleCR} is also used in namespace ${namespaceOf.get(ruleCR) ?? '(none)'}; ` +
          'items are keyed by CR name, so items with the same name replace each other',
      });
    }
    namespaceOf.set(ruleCR, namespace);
    const items = cr.spec?.rules ?? [];
    if (!Array.isArray(items)) {
      errors.push({ ...where, reason: 'spec.rules is not a list; the Rule CR is ignored' });
      continue;
    }
    items.forEach((item: PolicyRuleItem | null | undefined, position) => {
      if (!item || typeof item !== 'object') {
        errors.push({ ...where, item: `#${position}`, reason: 'the item is not an object' });
        return;
      }
      if (!item.name) {
        errors.push({ ...where, item: `#${position}`, reason: 'the item has no name' });
        return;
      }
      if (!(ruleItemTypes as readonly string[]).includes(item.type ?? '')) {
        errors.push({
          ...where,
          item: item.name,
          reason: `unknown type ${JSON.stringify(item.type ?? '')}; expected one of ${ruleItemTypes.join(', ')}`,
        });
      }
      const id = `${ruleCR}.${item.name}`;
      const replaced = index.get(id);
      if (replaced) {
        const replacedSource = sources.get(id);
        errors.push({
          ruleCR,
          ...(replacedSource?.metadata.namespace ? { namespace: replacedSource.metadata.namespace } : {}),
          item: item.name,
          reason: `a later item named ${item.name} in Rule ${ruleCR} replaces this one (the last definition wins)`,
        });
      }
      index.set(id, { ruleCR, item });
      sources.set(id, cr);
    });
  }
  return { index, sources };
}

function loadRule(
  id: string,
  entry: IndexedItem,
  cr: RuleCR,
  settings: EffectiveRuleSettings,
  index: ItemIndex,
  expander: ReferenceExpander,
  errors: RuleLoadError[],
  warnings: RuleLoadError[],
): LoadedRule | undefined {
  const { item, ruleCR } = entry;
  const name = item.name as string;
  const namespace = cr.metadata.namespace;
  const where: RuleLoadError = { ruleCR, ...(namespace ? { namespace } : {}), item: name, reason: '' };
  const fail = (reason: string): undefined => {
    errors.push({ ...where, reason });
    return undefined;
  };

  const condition = textOf(item.condition);
  if (condition === '') return fail('the rule has no condition');
  let expandedCondition: string;
  try {
    expandedCondition = expander.expand(condition, ruleCR);
  } catch (error) {
    if (error instanceof RuleReferenceError) return fail(error.message);
    throw error;
  }
  let compiled: CompiledCondition;
  try {
    compiled = compileCondition(expandedCondition);
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    const expandedNote = expandedCondition === condition ? '' : ` (expanded: ${expandedCondition})`;
    return fail(`syntax error in the condition${expandedNote}: ${error.message}`);
  }

  const labels: Labels = cr.metadata.labels ?? {};
  const priority = isPriority(item.priority) ? item.priority : undefined;
  const selectedForAlerting = matchesLabelSelector(settings.alertingRuleSelector, labels);
  const selectedForArchiving = matchesLabelSelector(settings.archivingRuleSelector, labels);
  const alerting = selectedForAlerting && meetsPriority(priority, settings.alertingPriority);
  const archiving =
    selectedForAlerting || (selectedForArchiving && meetsPriority(priority, settings.archivingPriority));

  if (priority === undefined && (selectedForAlerting || selectedForArchiving)) {
    const shown = item.priority ? JSON.stringify(item.priority) : 'missing';
    warnings.push({
      ...where,
      reason: `priority is ${shown}, not one of ${priorities.join(', ')}, so the rule ranks below every threshold`,
    });
  }
  if (item.enable === undefined || item.enable === null) {
    warnings.push({ ...where, reason: 'enable is not set; KubeSphere reads that as false, so the rule is disabled' });
  }

  const output = textOf(item.output) ? item.output : undefined;
  const render: MessageRenderer = output
    ? compileOutputTemplate(output, (placeholder) => aliasPath(index, ruleCR, placeholder))
    : defaultAlertMessage;

  return {
    id,
    name,
    ruleCR,
    namespace,
    labels,
    description: item.desc,
    priority,
    enabled: item.enable === true,
    archiving,
    alerting,
    condition,
    expandedCondition,
    compiled,
    output,
    message: render,
  };
}

// An output placeholder names an alias if `<own CR>.x`, or else `x`, is an item of type alias.
function aliasPath(index: ItemIndex, ruleCR: string, placeholder: string): string | undefined {
  for (const candidate of [index.get(`${ruleCR}.${placeholder}`), index.get(placeholder)]) {
    if (candidate?.item.type === 'alias' && textOf(candidate.item.alias)) return textOf(candidate.item.alias);
  }
  return undefined;
}
