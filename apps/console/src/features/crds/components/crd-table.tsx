import { Link } from '@tanstack/react-router';
import type { CrdListItem } from '../api/list-crds.ts';

function CountCell({ count }: { count: CrdListItem['count'] }) {
  if (!count) return <span className="muted">–</span>;
  switch (count.state) {
    case 'exact':
      return <>{count.value}</>;
    case 'at-least':
      return <>≥ {count.value}</>;
    case 'forbidden':
    case 'unknown':
      return (
        <span className="muted" title={count.reason}>
          ? <span className="visually-hidden">{count.reason}</span>
        </span>
      );
  }
}

/** The CRDs found, with what they are called and how many objects each has. */
export function CrdTable({ crds }: { crds: readonly CrdListItem[] }) {
  return (
    <table className="data-table" aria-label="Custom resource definitions">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Name</th>
          <th scope="col">Group / version</th>
          <th scope="col">Scope</th>
          <th scope="col">Short names</th>
          <th scope="col">Categories</th>
          <th scope="col">Objects</th>
        </tr>
      </thead>
      <tbody>
        {crds.map((crd) => (
          <tr key={crd.name}>
            <td>
              <Link to="/crds/$name" params={{ name: crd.name }} search={{}}>
                {crd.kind}
              </Link>
            </td>
            <td>
              <code>{crd.name}</code>
            </td>
            <td>
              {crd.group}/{crd.version}
            </td>
            <td>{crd.scope}</td>
            <td>{crd.shortNames.join(', ')}</td>
            <td>{crd.categories.join(', ')}</td>
            <td>
              <CountCell count={crd.count} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
