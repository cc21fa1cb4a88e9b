/**
 * Per-event matching (reference §3.5): every enabled rule is evaluated against the event, flattened once.
 * The event is archived once if any matching rule archives, and each matching alerting rule yields one
 * alert with its rendered message. A rule whose evaluation fails (a non-numeric field compared with a
 * number, say) does not match, as in KubeSphere; the failure is returned so it can be shown or counted.
 */
import { type FlatEvent, flattenEvent } from './flatten.ts';
import type { LoadedRule } from './rule-loader.ts';

export interface Alert {
  rule: LoadedRule;
  message: string;
}

export interface EvaluationFailure {
  rule: LoadedRule;
  error: string;
}

export interface MatchResult {
  /** Whether the event is archived. */
  archive: boolean;
  /** One per matching rule that alerts, in rule order. */
  alerts: Alert[];
  /** Names of every matching enabled rule, whether it archives, alerts or neither. */
  matched: string[];
  /** Rules whose evaluation failed on this event (counted as not matching). */
  failures: EvaluationFailure[];
}

/** @param event an event object (flattened here) or an already flattened event. */
export function matchEvent(rules: readonly LoadedRule[], event: object | FlatEvent): MatchResult {
  const flat = flattenEvent(event);
  const result: MatchResult = { archive: false, alerts: [], matched: [], failures: [] };
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const outcome = rule.compiled.evaluateDetailed(flat);
    if ('error' in outcome) {
      result.failures.push({ rule, error: outcome.error });
      continue;
    }
    if (!outcome.matched) continue;
    result.matched.push(rule.name);
    if (rule.archiving) result.archive = true;
    if (rule.alerting) result.alerts.push({ rule, message: rule.message(flat) });
  }
  return result;
}
