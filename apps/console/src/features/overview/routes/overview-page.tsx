import { useQuery } from '@tanstack/react-query';
import { healthQueries } from './api/get-health.ts';
import { ComponentHealthList } from './components/component-health-list.tsx';

export function OverviewPage() {
  const health = useQuery(healthQueries.all());
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Overview</h1>
      <p className="muted">
        The auditing pipeline at a glance. Sources, rates and misconfiguration checks arrive with the receiver.
      </p>
      <h2>Components</h2>
      {health.isPending ? <p>Checking…</p> : null}
      {health.isError ? <p role="alert">The server did not answer: {health.error.message}</p> : null}
      {health.data ? (
        <>
          <p>
            Auditorium {health.data.version}: <strong>{health.data.status}</strong>
          </p>
          <ComponentHealthList components={health.data.components} />
        </>
      ) : null}
    </section>
  );
}
