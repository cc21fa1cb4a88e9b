/**
 * @auditorium/rule-engine: KubeSphere's auditing rule language and Rule CR loading, without dependencies.
 *
 * Conditions (the event-rule-engine language):
 *   compileCondition(text): CompiledCondition          parse + compile once; throws ConditionSyntaxError
 *   CompiledCondition.evaluate(flat): boolean            an evaluation error counts as no match
 *   CompiledCondition.evaluateDetailed(flat)             { matched } | { error }, for the playground
 *   flattenEvent(event): FlatEvent                       the event as `{ "A.B.C": value }`, lazily
 *
 * Rules:
 *   loadRules(ruleCRs, webhookSettings): RuleLoadResult  { rules, errors, warnings, settings }
 *   matchEvent(rules, event): MatchResult                { archive, alerts, matched, failures }
 *
 * Building blocks: priorities / priorityRank / comparePriority / meetsPriority / normalisePriority,
 * matchesLabelSelector / labelSelectorProblems, goSprint (Go `fmt.Sprint`, which comparisons use).
 *
 * Typical use in the receiver: load once per Rule/Webhook change, then per event
 *   const { rules, errors } = loadRules(ruleCRs, webhookSpec);
 *   const { archive, alerts } = matchEvent(rules, event);
 *
 * Where this differs from KubeSphere, on purpose, is documented in the module that does it: compile.ts
 * (crash fixes, escapes, regexp errors at compile time), flatten.ts (case-insensitive field lookup),
 * references.ts (nested and parenthesised macros, cycle detection), rule-loader.ts (errors reported,
 * matchExpressions, warnings), output-template.ts (missing values render as ""). Operator precedence
 * (and/or equal and left-associative, `not` spanning the rest of the chain) is KubeSphere's: parser.ts.
 */

export type { CompiledCondition, EvaluationResult } from './compile.ts';
export { compileCondition } from './compile.ts';
export type { SourcePosition } from './condition-errors.ts';
export { ConditionEvaluationError, ConditionSyntaxError, positionAt } from './condition-errors.ts';
export { FlatEvent, FlatKey, flattenEvent } from './flatten.ts';
export { formatGoFloat, goSprint } from './go-format.ts';
export type {
  LabelSelector,
  LabelSelectorOperator,
  LabelSelectorRequirement,
  Labels,
} from './label-selector.ts';
export { labelSelectorOperators, labelSelectorProblems, matchesLabelSelector } from './label-selector.ts';
export type { Alert, EvaluationFailure, MatchResult } from './match.ts';
export { matchEvent } from './match.ts';
export type { Priority } from './priority.ts';
export {
  comparePriority,
  isPriority,
  meetsPriority,
  normalisePriority,
  priorities,
  priorityRank,
} from './priority.ts';
export type { EffectiveRuleSettings, LoadedRule, RuleLoadError, RuleLoadResult } from './rule-loader.ts';
export { defaultAlertingRuleSelector, defaultArchivingRuleSelector, loadRules } from './rule-loader.ts';
export type { PolicyRuleItem, RuleCR, RuleItemType, WebhookRuleSettings } from './rule-types.ts';
export { ruleItemTypes } from './rule-types.ts';
