import { Link } from '@tanstack/react-router';
import type { Misconfiguration } from '../misconfigurations.ts';

/** Every problem found, worst first, each with a link to the page that fixes it. */
export function MisconfigurationList({ problems }: { problems: Misconfiguration[] }) {
  if (problems.length === 0) {
    return <p className="all-clear">No misconfiguration found in the Webhook, the Rules or kubesphere.yaml.</p>;
  }
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...problems].sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <ul className="problem-list" aria-label="Misconfigurations">
      {sorted.map((problem) => (
        <li key={problem.id} data-severity={problem.severity}>
          <span className="problem-severity">{problem.severity}</span>
          <div>
            <p className="problem-message">{problem.message}</p>
            {problem.field ? (
              <p className="muted">
                Field: <code>{problem.field}</code>
              </p>
            ) : null}
            <p className="problem-fixes">
              {/* To the settings page, the field travels in the hash: the page brings its check into view. */}
              <Link to={problem.fix.to} hash={problem.fix.to === '/settings' ? problem.field : undefined}>
                {problem.fix.label}
              </Link>
              {problem.also ? (
                <>
                  {' · '}
                  <Link to={problem.also.to}>{problem.also.label}</Link>
                </>
              ) : null}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
