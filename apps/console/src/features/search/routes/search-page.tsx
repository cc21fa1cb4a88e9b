import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { EventDetails } from '../../../lib/audit-event/event-details.tsx';
import { eventKey } from '../../../lib/audit-event/event-key.ts';
import { Drawer } from '../../../lib/drawer.tsx';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { exportUrl } from '../api/export-links.ts';
import { useHistogram } from '../api/get-histogram.ts';
import { type ArchivedRecord, useSearchEvents } from '../api/search-events.ts';
import { ExportLinks } from '../components/export-links.tsx';
import { Histogram } from '../components/histogram.tsx';
import { ResultsTable } from '../components/results-table.tsx';
import { SearchForm } from '../components/search-form.tsx';
import { filterParams, histogramBars, histogramInterval, resolveRange } from '../search-query.ts';
import '../search.css';

const route = getRouteApi('/shell/search');

function RecordFacts({ record }: { record: ArchivedRecord }) {
  return (
    <p className="record-facts">
      {record.alerted ? 'Alerted. ' : ''}
      {record.matchedRules.length > 0
        ? `Matched rules: ${record.matchedRules.join(', ')}.`
        : 'Archived without a matching rule name.'}
    </p>
  );
}

/**
 * The moment a preset range ("last hour") ends at, fixed until the search changes or the user refreshes.
 * Re-reading the clock on every render would move the range (and the query key) when the minute turns,
 * dropping the pages already loaded in the middle of scrolling. Opening an event is not a new search.
 */
function usePinnedNow(search: { event?: string }): [number, () => void] {
  const { event: _openEvent, ...criteria } = search;
  const criteriaKey = JSON.stringify(criteria);
  const [pinned, setPinned] = useState(() => ({ criteriaKey, now: Date.now() }));
  const repin = () => setPinned({ criteriaKey, now: Date.now() });
  if (pinned.criteriaKey === criteriaKey) return [pinned.now, repin];
  // Derived state, set during render as React recommends; this render already uses the fresh moment.
  const fresh = { criteriaKey, now: Date.now() };
  setPinned(fresh);
  return [fresh.now, repin];
}

export function SearchPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [now, repin] = usePinnedNow(search);
  const range = resolveRange(search, now);
  const filter = filterParams(search, range);
  const { interval, ms: intervalMs } = histogramInterval(range);
  const histogram = useHistogram(filter, interval);
  const results = useSearchEvents(filter);

  const records = results.data?.pages.flatMap((page) => page.records) ?? [];
  // Offset paging over a growing archive can repeat a row at a page boundary; show each event once.
  const seen = new Set<string>();
  const unique = records.filter((record) => {
    const key = eventKey(record.event);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const selected = search.event ? unique.find((record) => eventKey(record.event) === search.event) : undefined;
  const total = results.data?.pages[0]?.total ?? 0;
  const openEvent = (key: string | undefined) =>
    void navigate({ search: (previous) => ({ ...previous, event: key }), replace: key === undefined });

  return (
    <section aria-labelledby="page-title" className="search-page">
      <h1 id="page-title">Search</h1>
      <p className="muted">The archive, limited to the namespaces you may see. Everything here is kept in the URL.</p>
      <SearchForm search={search} range={range} onSearch={(next) => void navigate({ search: next })} />
      {histogram.isError ? <StatusMessage error={histogram.error} /> : null}
      {histogram.data ? (
        <Histogram
          bars={histogramBars(histogram.data.buckets, range, intervalMs)}
          total={histogram.data.total}
          onNarrow={(start, end) =>
            void navigate({ search: (previous) => ({ ...previous, range: undefined, start, end, event: undefined }) })
          }
        />
      ) : histogram.isPending ? (
        <p className="muted">Counting…</p>
      ) : null}
      <div className="results-toolbar">
        <p aria-live="polite">
          {results.data ? `${total.toLocaleString()} search results` : results.isPending ? 'Searching…' : null}
        </p>
        <ExportLinks ndjsonHref={exportUrl(filter, 'ndjson')} csvHref={exportUrl(filter, 'csv')} />
        <button
          type="button"
          onClick={() => {
            // A preset range moves up to now (new queries); within the same minute, the same queries refetch.
            if (resolveRange(search).end !== range.end) repin();
            else {
              void histogram.refetch();
              void results.refetch();
            }
          }}
        >
          Refresh
        </button>
      </div>
      {results.isError ? <StatusMessage error={results.error} /> : null}
      {results.data ? (
        <ResultsTable
          events={unique.map((record) => record.event)}
          total={total}
          hasMore={results.hasNextPage}
          loadingMore={results.isFetchingNextPage}
          selectedKey={search.event}
          onLoadMore={() => {
            if (!results.isFetchingNextPage) void results.fetchNextPage();
          }}
          onOpen={openEvent}
        />
      ) : null}
      {search.event ? (
        <Drawer title="Metadata" onClose={() => openEvent(undefined)}>
          {selected ? (
            <EventDetails event={selected.event} extra={<RecordFacts record={selected} />} />
          ) : (
            <p>This event is not among the loaded results. Load more, or widen the search.</p>
          )}
        </Drawer>
      ) : null}
    </section>
  );
}
