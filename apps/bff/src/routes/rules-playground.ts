import type { AuditEvent } from '@auditorium/audit-model';
import {
  ConditionSyntaxError,
  compileCondition,
  flattenEvent,
  type LoadedRule,
  loadRules,
  positionAt,
  type RuleCR,
  type RuleLoadError,
  type SourcePosition,
  type WebhookRuleSettings,
} from '@auditorium/rule-engine';
import { z } from 'zod';
import { eventFilterShape } from './events-filter.ts';

/**
 * The rule playground behind `POST /api/rules/test`: a condition, or a whole Rule CR, evaluated against
 * events the user gives or the latest archived events they may see. The console calls it as the user
 * types, so everything here is in memory: one compile, one flattening per event.
 */
export const maxPlaygroundEvents = 500;

const ruleItemInput = z.looseObject({
  name: z.string().optional(),
  type: z.string().optional(),
  desc: z.string().optional(),
  condition: z.string().optional(),
  macro: z.string().optional(),
  list: z.array(z.string()).nullish(),
  alias: z.string().optional(),
  enable: z.boolean().nullish(),
  output: z.string().optional(),
  priority: z.string().optional(),
});

const ruleInput = z.looseObject({
  metadata: z
    .looseObject({
      name: z.string().optional(),
      namespace: z.string().optional(),
      labels: z.record(z.string(), z.string()).nullish(),
    })
    .optional(),
  spec: z.looseObject({ rules: z.array(ruleItemInput).nullish() }).nullish(),
});

export const playgroundRequest = z
  .object({
    /** One condition in the event-rule-engine language; `${…}` references need a whole `rule`. */
    condition: z
      .string()
      .max(64 * 1024, 'the condition is longer than 64 KiB')
      .optional(),
    /** A Rule CR (metadata.labels decide archiving/alerting); its `type: rule` items are evaluated. */
    rule: ruleInput.optional(),
    /** Resolve `${cr.item}` references against the cluster's other Rule CRs (read as the user). */
    withClusterRules: z.boolean().default(true),
    /** Events to test, in either wire shape (audit.k8s.io or KubeSphere) or normalised. */
    events: z
      .array(z.record(z.string(), z.unknown()))
      .max(maxPlaygroundEvents, `at most ${maxPlaygroundEvents} events`)
      .optional(),
    /** Without `events`: the latest archived events the user may see, optionally filtered. */
    sample: z
      .object({
        size: z.number().int().min(1).max(maxPlaygroundEvents, `at most ${maxPlaygroundEvents} events`).default(50),
        filter: z.object(eventFilterShape).partial().optional(),
      })
      .default({ size: 50 }),
  })
  .superRefine((request, ctx) => {
    if ((request.condition === undefined) === (request.rule === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: request.condition === undefined ? ['condition'] : ['rule'],
        message: 'give either a condition or a rule, not both and not neither',
      });
    }
  });

export type PlaygroundRequest = z.output<typeof playgroundRequest>;

export interface SyntaxProblem {
  /** The rule item; absent in condition mode. */
  rule?: string;
  /** The parser's reason, e.g. "expected a value after '=', found end of input". */
  reason: string;
  message: string;
  /** Where in the text as written; absent when the error lies in text that `${…}` references inserted. */
  position?: SourcePosition;
}

export interface PlaygroundMatch {
  rule: string;
  enabled: boolean;
  archiving: boolean;
  alerting: boolean;
  /** The rendered alert message, for alerting rules. */
  message?: string;
}

export interface PlaygroundResult {
  index: number;
  event: AuditEvent;
  matched: boolean;
  /** Rule mode: every rule of the tested CR that matched, enabled or not. */
  matches: PlaygroundMatch[];
  /** Rule mode: what the receiver would do with the event (enabled rules only). */
  archive?: boolean;
  alert?: boolean;
  /** Evaluation errors, which count as "no match" (a non-numeric field compared with a number, …). */
  errors: Array<{ rule?: string; message: string }>;
}

export interface PlaygroundLoadedRule {
  name: string;
  enabled: boolean;
  priority?: string;
  archiving: boolean;
  alerting: boolean;
  expandedCondition: string;
}

export interface PlaygroundResponse {
  mode: 'condition' | 'rule';
  syntaxErrors: SyntaxProblem[];
  /** Rule mode: items that could not be loaded for other reasons (unresolved reference, macro cycle, …). */
  loadErrors: RuleLoadError[];
  warnings: RuleLoadError[];
  rules: PlaygroundLoadedRule[];
  events: { origin: 'request' | 'archive'; count: number };
  matchedCount: number;
  results: PlaygroundResult[];
}

export const playgroundRuleName = 'playground';

export function evaluateCondition(
  condition: string,
  events: readonly AuditEvent[],
): Omit<PlaygroundResponse, 'events'> {
  const empty = { mode: 'condition' as const, loadErrors: [], warnings: [], rules: [], matchedCount: 0, results: [] };
  let compiled: ReturnType<typeof compileCondition>;
  try {
    compiled = compileCondition(condition);
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the KubeSphere reference syntax, not a template
    const hint = condition.includes('${') ? '; ${…} references are expanded only when a whole rule is tested' : '';
    return {
      ...empty,
      syntaxErrors: [{ reason: `${error.reason}${hint}`, message: error.message, position: error.position }],
    };
  }
  const results = events.map((event, index): PlaygroundResult => {
    const outcome = compiled.evaluateDetailed(flattenEvent(event));
    if ('error' in outcome) return { index, event, matched: false, matches: [], errors: [{ message: outcome.error }] };
    return { index, event, matched: outcome.matched, matches: [], errors: [] };
  });
  return { ...empty, syntaxErrors: [], matchedCount: results.filter((result) => result.matched).length, results };
}

/**
 * Loads the tested Rule among `clusterRules` (replacing the cluster's CR of the same name and namespace,
 * as saving it would), and evaluates its rule items only.
 */
export function evaluateRule(
  rule: z.output<typeof ruleInput>,
  clusterRules: readonly RuleCR[],
  settings: WebhookRuleSettings,
  events: readonly AuditEvent[],
): Omit<PlaygroundResponse, 'events'> {
  const name = rule.metadata?.name || playgroundRuleName;
  const namespace = rule.metadata?.namespace;
  const tested: RuleCR = {
    metadata: { name, ...(namespace ? { namespace } : {}), labels: rule.metadata?.labels ?? {} },
    spec: { rules: rule.spec?.rules ?? [] },
  };
  const others = clusterRules.filter(
    (cr) => !(cr.metadata.name === name && (namespace === undefined || cr.metadata.namespace === namespace)),
  );
  const loaded = loadRules([...others, tested], settings);
  const own = (problem: RuleLoadError) => problem.ruleCR === name && problem.namespace === tested.metadata.namespace;
  const testedRules = loaded.rules.filter(
    (loadedRule) => loadedRule.ruleCR === name && loadedRule.namespace === tested.metadata.namespace,
  );

  const syntaxErrors: SyntaxProblem[] = [];
  const loadErrors: RuleLoadError[] = [];
  for (const error of loaded.errors.filter(own)) {
    const problem = syntaxProblem(error, tested);
    if (problem) syntaxErrors.push(problem);
    else loadErrors.push(error);
  }

  const results = events.map((event, index) => evaluateRulesOn(testedRules, event, index));
  return {
    mode: 'rule',
    syntaxErrors,
    loadErrors,
    warnings: loaded.warnings.filter((warning) => warning.ruleCR === undefined || own(warning)),
    rules: testedRules.map((loadedRule) => ({
      name: loadedRule.name,
      enabled: loadedRule.enabled,
      ...(loadedRule.priority ? { priority: loadedRule.priority } : {}),
      archiving: loadedRule.archiving,
      alerting: loadedRule.alerting,
      expandedCondition: loadedRule.expandedCondition,
    })),
    matchedCount: results.filter((result) => result.matched).length,
    results,
  };
}

function evaluateRulesOn(rules: readonly LoadedRule[], event: AuditEvent, index: number): PlaygroundResult {
  const flat = flattenEvent(event);
  const result: PlaygroundResult = {
    index,
    event,
    matched: false,
    matches: [],
    archive: false,
    alert: false,
    errors: [],
  };
  for (const rule of rules) {
    const outcome = rule.compiled.evaluateDetailed(flat);
    if ('error' in outcome) {
      result.errors.push({ rule: rule.name, message: outcome.error });
      continue;
    }
    if (!outcome.matched) continue;
    result.matched = true;
    result.matches.push({
      rule: rule.name,
      enabled: rule.enabled,
      archiving: rule.archiving,
      alerting: rule.alerting,
      ...(rule.alerting ? { message: rule.message(flat) } : {}),
    });
    if (rule.enabled && rule.archiving) result.archive = true;
    if (rule.enabled && rule.alerting) result.alert = true;
  }
  return result;
}

/**
 * A load error that is a syntax error, with its position in the condition as written. When the condition
 * has `${…}` references the parser saw the expanded text, so the position is only given if the error
 * also shows in the text as written.
 */
function syntaxProblem(error: RuleLoadError, tested: RuleCR): SyntaxProblem | undefined {
  if (!error.reason.startsWith('syntax error')) return undefined;
  const condition = tested.spec?.rules?.find((item) => item.name === error.item)?.condition?.trim();
  const problem: SyntaxProblem = {
    ...(error.item ? { rule: error.item } : {}),
    reason: error.reason,
    message: error.reason,
  };
  if (!condition || condition.includes('${')) return problem;
  try {
    compileCondition(condition);
  } catch (syntax) {
    if (syntax instanceof ConditionSyntaxError) {
      // The loader trims the condition; positions are given in the text as the user wrote it.
      const raw = tested.spec?.rules?.find((item) => item.name === error.item)?.condition ?? condition;
      const lead = raw.length - raw.trimStart().length;
      return {
        ...problem,
        reason: syntax.reason,
        message: syntax.message,
        position: positionAt(raw, syntax.position.offset + lead),
      };
    }
  }
  return problem;
}
