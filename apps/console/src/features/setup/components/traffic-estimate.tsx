import type { SetupEstimate } from '../api/get-setup-files.ts';

const count = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

function bytes(value: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = value;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${size.toFixed(size < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}

/** The events/day the chosen policy would make, from the cluster's recent traffic. */
export function TrafficEstimate({ estimate }: { estimate: SetupEstimate }) {
  return (
    <section className="volume-estimate" aria-labelledby="estimate-title">
      <h3 id="estimate-title">How many events to expect</h3>
      {estimate.available ? (
        <>
          <p className="estimate-figure">
            About <strong data-testid="events-per-day">{count.format(estimate.eventsPerDay)} events a day</strong>,
            roughly <strong>{bytes(estimate.bytesPerDay)}</strong> a day before compression, from{' '}
            {estimate.sampledRequests.toLocaleString('en')} requests seen in the last {estimate.windowHours} h.
          </p>
          <table className="estimate-table">
            <caption>Largest contributors</caption>
            <thead>
              <tr>
                <th scope="col">Verb</th>
                <th scope="col">Resource</th>
                <th scope="col">Level</th>
                <th scope="col">Events a day</th>
              </tr>
            </thead>
            <tbody>
              {estimate.top.map((line) => (
                <tr key={`${line.verb} ${line.resource} ${line.level}`}>
                  <td>{line.verb}</td>
                  <td>{line.resource}</td>
                  <td>{line.level}</td>
                  <td>{count.format(line.eventsPerDay)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>How this is worked out</summary>
            <ul>
              {estimate.assumptions.map((assumption) => (
                <li key={assumption}>{assumption}</li>
              ))}
            </ul>
          </details>
        </>
      ) : (
        <>
          <p>{estimate.reason}</p>
          <p className="muted">
            Rule of thumb meanwhile: a quiet cluster makes 0.2–0.5 API requests per node and second by itself (leases,
            status updates, watches), so tens of thousands of events per node a day before the policy filters them.
          </p>
        </>
      )}
    </section>
  );
}
