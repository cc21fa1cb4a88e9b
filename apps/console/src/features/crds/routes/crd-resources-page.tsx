import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { useCrd } from '../api/get-crd.ts';
import { useResources } from '../api/list-resources.ts';
import { CrdBreadcrumbs } from '../components/crd-breadcrumbs.tsx';
import { ResourceTable } from '../components/resource-table.tsx';
import type { CrdResourcesSearch } from './crds-search.ts';
import '../crds.css';

const routeApi = getRouteApi('/shell/crds/$name');

const typingPauseMs = 300;
const namespacePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * One CRD and its objects as `kubectl get` shows them, with the CRD's own printer columns (the wide ones on
 * request), in one namespace or all, fetched a page at a time (limit/continue). Each object opens in the editor.
 */
export function CrdResourcesPage() {
  const { name } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const setSearch = (change: Partial<CrdResourcesSearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...change }), replace: true });
  const crd = useCrd(name);
  const namespaced = crd.data?.scope === 'Namespaced';
  const namespace = namespaced ? search.namespace : undefined;
  const resources = useResources(name, namespace);

  const [namespaceText, setNamespaceText] = useState(search.namespace ?? '');
  const settledNamespace = useDebouncedValue(namespaceText.trim(), typingPauseMs);
  const namespaceValid = settledNamespace === '' || namespacePattern.test(settledNamespace);
  // biome-ignore lint/correctness/useExhaustiveDependencies: write the URL only when the settled text changes
  useEffect(() => {
    if (namespaceValid && settledNamespace !== (search.namespace ?? '')) {
      setSearch({ namespace: settledNamespace || undefined });
    }
  }, [settledNamespace]);

  const pages = resources.data?.pages ?? [];
  const firstPage = pages[0];
  const rows = pages.flatMap((page) => page.items);
  const lastPage = pages.at(-1);
  const remaining = lastPage?.remainingItemCount;
  const hasWideColumns = firstPage?.columns.some((column) => column.priority > 0) ?? false;
  const kind = crd.data?.kind;

  return (
    <section aria-labelledby="page-title" className="crds-page">
      <CrdBreadcrumbs crdName={name} {...(kind ? { kind } : {})} />
      <h1 id="page-title">{kind ?? name}</h1>
      {crd.error ? <StatusMessage error={crd.error} /> : null}
      {crd.data ? (
        <dl className="field-list crd-facts">
          <dt>Name</dt>
          <dd>
            <code>{crd.data.name}</code>
          </dd>
          <dt>Group / version</dt>
          <dd>
            {crd.data.group}/{crd.data.version}
            {crd.data.versions.length > 1
              ? ` (serves ${crd.data.versions
                  .filter((version) => version.served)
                  .map((version) => version.name)
                  .join(', ')})`
              : ''}
          </dd>
          <dt>Scope</dt>
          <dd>{crd.data.scope}</dd>
          <dt>Short names</dt>
          <dd>{crd.data.shortNames.join(', ') || '–'}</dd>
          <dt>Categories</dt>
          <dd>{crd.data.categories.join(', ') || '–'}</dd>
        </dl>
      ) : null}
      {crd.data?.source === 'discovery' ? (
        <p className="disabled-reason">
          You may not read this CustomResourceDefinition itself, so its printer columns and schema are unknown; its
          names come from API discovery.
        </p>
      ) : null}

      {crd.data ? (
        <form
          className="filter-form"
          aria-label={`Filter ${kind ?? name} objects`}
          onSubmit={(event) => event.preventDefault()}
        >
          <div className="filter-fields">
            {namespaced ? (
              <label>
                <span>Namespace (empty: all you may list)</span>
                <input
                  value={namespaceText}
                  onChange={(event) => setNamespaceText(event.target.value)}
                  aria-invalid={!namespaceValid}
                  aria-describedby="namespace-hint"
                  placeholder="all namespaces"
                />
                {!namespaceValid ? (
                  <span id="namespace-hint" className="field-causes">
                    A namespace name is lowercase letters, digits and “-”.
                  </span>
                ) : null}
              </label>
            ) : null}
            {hasWideColumns ? (
              <label className="checkbox-field">
                <input
                  type="checkbox"
                  checked={search.wide ?? false}
                  onChange={(event) => setSearch({ wide: event.target.checked || undefined })}
                />{' '}
                Wide columns (kubectl get -o wide)
              </label>
            ) : null}
          </div>
        </form>
      ) : null}

      {resources.error ? <StatusMessage error={resources.error} /> : null}
      {resources.isPending && !resources.error ? <p className="muted">Loading the objects…</p> : null}
      {firstPage && crd.data ? (
        <>
          {rows.length === 0 ? (
            <p className="muted" role="status">
              No {crd.data.kind} objects{namespace ? ` in namespace ${namespace}` : ''}.
            </p>
          ) : (
            <ResourceTable
              crdName={name}
              kind={crd.data.kind}
              namespaced={firstPage.namespaced}
              columns={firstPage.columns}
              ageColumn={firstPage.ageColumn}
              rows={rows}
              wide={search.wide ?? false}
            />
          )}
          <div className="list-footer">
            <span className="muted" role="status">
              {rows.length} shown
              {remaining !== undefined && remaining > 0 ? `, ${remaining} more` : ''}
              {resources.hasNextPage && remaining === undefined ? ', more to load' : ''}.
            </span>
            {resources.hasNextPage ? (
              <button
                type="button"
                onClick={() => void resources.fetchNextPage()}
                disabled={resources.isFetchingNextPage}
              >
                {resources.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
