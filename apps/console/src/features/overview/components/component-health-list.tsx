import type { ComponentHealth } from '@auditorium/bff';

export function ComponentHealthList({ components }: { components: Record<string, ComponentHealth> }) {
  return (
    <ul className="health-list" aria-label="Components">
      {Object.entries(components).map(([name, health]) => (
        <li key={name} data-state={health.state}>
          <span className="health-name">{name}</span>
          <span className="health-state">{health.state}</span>
          {health.reason ? <span className="health-reason">{health.reason}</span> : null}
        </li>
      ))}
    </ul>
  );
}
