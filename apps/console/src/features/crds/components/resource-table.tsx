import { Link } from '@tanstack/react-router';
import { age } from '../age.ts';
import type { ResourcePage, ResourceRow } from '../api/list-resources.ts';

type Column = ResourcePage['columns'][number];

function cellText(column: Column, cell: ResourceRow['cells'][number]): string {
  if (cell === null || cell === undefined) return '';
  if (column.type === 'date' && typeof cell === 'string') return age(cell);
  return String(cell);
}

export interface ResourceTableProps {
  crdName: string;
  kind: string;
  namespaced: boolean;
  columns: readonly Column[];
  ageColumn: boolean;
  rows: readonly ResourceRow[];
  /** Show the printer columns kubectl shows only with -o wide (priority above 0). */
  wide: boolean;
}

/** A CRD's objects with the CRD's own printer columns, as `kubectl get` shows them; each opens in the editor. */
export function ResourceTable({ crdName, kind, namespaced, columns, ageColumn, rows, wide }: ResourceTableProps) {
  const shown = columns
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => wide || column.priority === 0);
  return (
    <table className="data-table" aria-label={`${kind} objects`}>
      <thead>
        <tr>
          {namespaced ? <th scope="col">Namespace</th> : null}
          <th scope="col">Name</th>
          {shown.map(({ column }) => (
            <th key={column.name} scope="col" title={column.unsupported ?? column.description}>
              {column.name}
            </th>
          ))}
          {ageColumn ? <th scope="col">Age</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.namespace ?? ''}/${row.name}`}>
            {namespaced ? <td>{row.namespace}</td> : null}
            <td>
              <Link
                to="/crds/$name/objects/$object"
                params={{ name: crdName, object: row.name }}
                search={row.namespace ? { namespace: row.namespace } : {}}
                aria-label={`Edit ${kind} ${row.namespace ? `${row.namespace}/` : ''}${row.name}`}
              >
                {row.name}
              </Link>
            </td>
            {shown.map(({ column, index }) => (
              <td key={column.name}>{cellText(column, row.cells[index] ?? null)}</td>
            ))}
            {ageColumn ? <td title={row.createdAt}>{age(row.createdAt)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
