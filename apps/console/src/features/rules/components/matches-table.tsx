import { resourceLabel } from '../../../lib/audit-event/object-label.ts';
import { formatTimestamp } from '../../../lib/time-format.ts';
import type { PlaygroundResult } from '../api/test-rules.ts';

/** The events a condition or a Rule matched, as text; with `showRules`, which items matched and their alert. */
export function MatchesTable({
  results,
  label = 'Matching events',
  showRules = false,
}: {
  results: PlaygroundResult[];
  label?: string;
  showRules?: boolean;
}) {
  return (
    <table className="playground-matches" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Verb</th>
          <th scope="col">User</th>
          <th scope="col">Resource</th>
          <th scope="col">Namespace</th>
          <th scope="col">Name</th>
          <th scope="col">Status code</th>
          {showRules ? <th scope="col">Matched by</th> : null}
        </tr>
      </thead>
      <tbody>
        {results.map((result) => {
          const { event } = result;
          return (
            <tr key={`${event.AuditID}/${event.Stage}/${result.index}`}>
              <td>{formatTimestamp(event.RequestReceivedTimestamp).slice(0, 19)}</td>
              <td>{event.Verb}</td>
              <td>{event.User?.username ?? ''}</td>
              <td>{resourceLabel(event)}</td>
              <td>{event.ObjectRef?.Namespace ?? ''}</td>
              <td>{event.ObjectRef?.Name ?? ''}</td>
              <td>{event.ResponseStatus?.code ?? ''}</td>
              {showRules ? (
                <td>
                  {result.matches.map((match) => (
                    <div key={match.rule}>
                      <code>{match.rule}</code>
                      {match.enabled ? '' : ' (disabled)'}
                      {match.message ? <div className="muted">Alert: {match.message}</div> : null}
                    </div>
                  ))}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
