import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { DisabledReason, useCapability } from '../../../lib/me/capability.tsx';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { type CrdScope, useCrdList } from '../api/list-crds.ts';
import { CrdTable } from '../components/crd-table.tsx';
import type { CrdSearch } from './crds-search.ts';
import '../crds.css';

const routeApi = getRouteApi('/shell/crds');

/** How long the typing must pause before the search is sent. */
const typingPauseMs = 250;

const scopeChoices: ReadonlyArray<{ value: CrdScope | ''; label: string }> = [
  { value: '', label: 'Any scope' },
  { value: 'Namespaced', label: 'Namespaced' },
  { value: 'Cluster', label: 'Cluster' },
];

/**
 * The CRD search: every CustomResourceDefinition whose name, group, kind, plural, short name or category
 * contains the text, optionally of one scope, with how many objects each has. The filter lives in the URL.
 */
export function CrdSearchPage() {
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const setSearch = (change: Partial<CrdSearch>) =>
    void navigate({ search: (previous) => ({ ...previous, ...change }), replace: true });
  const canList = useCapability('listCrds');

  // The input keeps its own text; the URL and the request follow once the typing settles.
  const [text, setText] = useState(search.q ?? '');
  const settled = useDebouncedValue(text, typingPauseMs);
  // biome-ignore lint/correctness/useExhaustiveDependencies: write the URL only when the settled text changes
  useEffect(() => {
    if (settled.trim() !== (search.q ?? '')) setSearch({ q: settled.trim() || undefined });
  }, [settled]);

  const crds = useCrdList(search.q ?? '', search.scope);
  const count = crds.data?.items.length ?? 0;

  return (
    <section aria-labelledby="page-title" className="crds-page">
      <h1 id="page-title">CRDs</h1>
      <p className="page-intro">
        Custom resource definitions of the cluster, found by name, group, kind, short name or category, with how many
        objects of each you can see. Open one to list its objects with its own printer columns and edit any of them.
      </p>

      <search className="filter-form" aria-label="Find CRDs">
        <div className="filter-fields">
          <label className="wide">
            <span>Name, group, kind, short name or category</span>
            <input
              type="search"
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder="e.g. awh, auditing, Webhook"
              aria-describedby={canList.allowed ? undefined : 'crd-list-reason'}
            />
          </label>
          <label>
            <span>Scope</span>
            <select
              value={search.scope ?? ''}
              onChange={(event) => setSearch({ scope: (event.target.value || undefined) as CrdScope | undefined })}
            >
              {scopeChoices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </search>

      <DisabledReason capability={canList} id="crd-list-reason" />
      {crds.error ? <StatusMessage error={crds.error} /> : null}
      {crds.isPending ? <p className="muted">Looking for CRDs…</p> : null}
      {crds.data ? (
        <>
          <p className="muted" role="status">
            {count === 0
              ? 'No CRD matches.'
              : `${count} CRD${count === 1 ? '' : 's'}${search.q ? ` match “${search.q}”` : ''}${
                  search.scope ? ` (${search.scope.toLowerCase()} scope)` : ''
                }.`}
            {crds.isFetching ? ' Updating…' : ''}
          </p>
          {count > 0 ? <CrdTable crds={crds.data.items} /> : null}
        </>
      ) : null}
    </section>
  );
}
