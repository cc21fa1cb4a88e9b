import type { WebhookProblem } from '@auditorium/audit-model';
import { type ShownProblem, shownProblems } from './field-problems.tsx';

/**
 * Everything the misconfiguration checks found (selectors that match no Rule, rules that cannot fire at
 * the level, receivers without exactly one target…), re-run on the draft as it changes. The form also
 * shows each problem beside its field; this list is what the YAML tab has.
 */
export function WebhookProblems({
  problems,
  extra = [],
  ofDraft,
}: {
  problems: readonly WebhookProblem[];
  /** Problems found from outside the Webhook and the Rules (the receiver's counters). */
  extra?: readonly ShownProblem[];
  ofDraft: boolean;
}) {
  const title = ofDraft ? 'Checks on your unsaved changes' : 'Checks on the stored Webhook';
  const shown = [...shownProblems(problems), ...extra];
  if (shown.length === 0) {
    return (
      <p className="webhook-problems-clear ok-text" role="status">
        {title}: no misconfiguration found.
      </p>
    );
  }
  return (
    <section className="webhook-problems" aria-labelledby="webhook-problems-title" aria-live="polite">
      <h3 id="webhook-problems-title">
        {title}: {shown.length} problem{shown.length === 1 ? '' : 's'}
      </h3>
      <ul>
        {shown.map((problem) => (
          <li key={problem.key} data-severity={problem.severity}>
            <span className="problem-severity">{problem.severity}</span>
            {problem.field ? (
              <>
                {' '}
                <code>{problem.field}</code>
              </>
            ) : null}
            : {problem.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
