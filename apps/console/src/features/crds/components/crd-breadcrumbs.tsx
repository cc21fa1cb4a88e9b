import { Link } from '@tanstack/react-router';

/** Where the page sits: CRDs › the CRD's kind › the object (the last one is the current page). */
export function CrdBreadcrumbs({ crdName, kind, object }: { crdName: string; kind?: string; object?: string }) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumbs">
      <ol>
        <li>
          <Link to="/crds" search={{}}>
            CRDs
          </Link>
        </li>
        <li>
          {object === undefined ? (
            <span aria-current="page">{kind ?? crdName}</span>
          ) : (
            <Link to="/crds/$name" params={{ name: crdName }} search={{}}>
              {kind ?? crdName}
            </Link>
          )}
        </li>
        {object !== undefined ? (
          <li>
            <span aria-current="page">{object}</span>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}
