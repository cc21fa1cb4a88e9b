export interface WebhookProblemView {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  field?: string | undefined;
}

/** What the server found wrong with the stored Webhook (selectors that match nothing, rules that cannot fire…). */
export function WebhookProblems({ problems }: { problems: readonly WebhookProblemView[] }) {
  if (problems.length === 0) return null;
  return (
    <section className="webhook-problems" aria-labelledby="webhook-problems-title">
      <h3 id="webhook-problems-title">Checks on the stored Webhook</h3>
      <ul>
        {problems.map((problem) => (
          <li key={`${problem.code}:${problem.field ?? ''}:${problem.message}`} data-severity={problem.severity}>
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
