import { StatusMessage } from '../../../lib/status-message.tsx';
import type { PlaygroundResponse } from '../api/test-rules.ts';
import { MatchesTable } from './matches-table.tsx';

/**
 * A whole Rule CR tested against recent events: per rule item, what it does with the Webhook's selectors
 * and priorities and how many events it matched; then the events, each with the items that matched it and
 * the alert message it would send.
 */
export function RuleTestResults({
  title,
  result,
  pending,
  error,
  onClose,
}: {
  /** `namespace/name` of the tested Rule. */
  title: string;
  result: PlaygroundResponse | undefined;
  pending: boolean;
  error: unknown;
  onClose: () => void;
}) {
  const matched = result?.results.filter((entry) => entry.matched) ?? [];
  const matchesOf = (rule: string) =>
    result?.results.filter((entry) => entry.matches.some((match) => match.rule === rule)).length ?? 0;
  return (
    <section className="rule-test" aria-labelledby="rule-test-title">
      <div className="rule-editor-header">
        <h3 id="rule-test-title">
          Rule <code>{title}</code> on recent events
        </h3>
        <button type="button" onClick={onClose}>
          Close the test
        </button>
      </div>
      {error ? <StatusMessage error={error} /> : null}
      {!result ? <p className="muted">{pending ? 'Testing…' : ''}</p> : null}
      {result ? (
        <>
          <p aria-live="polite" className="rule-test-summary">
            {result.matchedCount} of {result.events.count} recent archived events match a rule of {title}.
            {pending ? <span className="muted"> (updating…)</span> : null}
          </p>
          {[
            ...result.syntaxErrors.map((problem) => ({ item: problem.rule, reason: problem.reason })),
            ...result.loadErrors,
          ].map((problem) => (
            <p key={`${problem.item ?? ''}:${problem.reason}`} className="bad-text">
              {problem.item ? `${problem.item}: ` : ''}
              {problem.reason}
            </p>
          ))}
          <table className="rule-test-items" aria-label={`Rule items of ${title}`}>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Does</th>
                <th scope="col">Matched events</th>
              </tr>
            </thead>
            <tbody>
              {result.rules.map((rule) => (
                <tr key={rule.name}>
                  <th scope="row">
                    <code>{rule.name}</code>
                  </th>
                  <td>
                    {!rule.enabled
                      ? 'disabled'
                      : rule.alerting
                        ? 'archives and alerts'
                        : rule.archiving
                          ? 'archives'
                          : 'neither archives nor alerts'}
                  </td>
                  <td>{matchesOf(rule.name)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {matched.length > 0 ? (
            <MatchesTable results={matched} label={`Events matched by ${title}`} showRules />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
