import type { AuditEvent } from '@auditorium/audit-model';
import { useEffect, useRef } from 'react';
import { eventKey } from '../../../lib/audit-event/event-key.ts';
import { resourceLabel } from '../../../lib/audit-event/object-label.ts';
import { StatusCode } from '../../../lib/audit-event/status-code.tsx';
import { formatTimestamp } from '../../../lib/time-format.ts';

/**
 * The matches, newest first, 50 at a time: reaching the end of the table loads the next page (and a button
 * does the same for keyboard users). A row's time opens the metadata drawer.
 */
export function ResultsTable({
  events,
  total,
  hasMore,
  loadingMore,
  selectedKey,
  onLoadMore,
  onOpen,
}: {
  events: AuditEvent[];
  total: number;
  hasMore: boolean;
  loadingMore: boolean;
  selectedKey: string | undefined;
  onLoadMore: () => void;
  onOpen: (key: string) => void;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const loadMore = useRef(onLoadMore);
  loadMore.current = onLoadMore;

  // biome-ignore lint/correctness/useExhaustiveDependencies: events.length re-arms the observer after each page
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) loadMore.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
    // Re-observed after each page: a sentinel still in view after loading reports again and loads the next.
  }, [hasMore, events.length]);

  if (events.length === 0)
    return <p className="muted">No archived events match. Widen the time range or the filters.</p>;

  return (
    <div className="results">
      <table className="results-table" aria-label="Archived audit events" aria-rowcount={total + 1}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Verb</th>
            <th scope="col">Status code</th>
            <th scope="col">Workspace</th>
            <th scope="col">Project</th>
            <th scope="col">Resource</th>
            <th scope="col">Name</th>
            <th scope="col">Operator</th>
            <th scope="col">Source IP</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const key = eventKey(event);
            return (
              <tr key={key} data-selected={key === selectedKey || undefined} onClick={() => onOpen(key)}>
                <td>
                  <button
                    type="button"
                    className="row-open"
                    onClick={(click) => {
                      click.stopPropagation();
                      onOpen(key);
                    }}
                  >
                    {formatTimestamp(event.RequestReceivedTimestamp).slice(0, 19)}
                  </button>
                </td>
                <td>{event.Verb}</td>
                <td>
                  <StatusCode code={event.ResponseStatus?.code} />
                </td>
                <td>{event.Workspace}</td>
                <td>{event.ObjectRef?.Namespace}</td>
                <td>{resourceLabel(event)}</td>
                <td>{event.ObjectRef?.Name}</td>
                <td>{event.User?.username}</td>
                <td>{event.SourceIPs?.join(', ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div ref={sentinel} className="results-end">
        {hasMore ? (
          <button type="button" onClick={onLoadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : `Load more (${events.length.toLocaleString()} of ${total.toLocaleString()})`}
          </button>
        ) : (
          <span className="muted">All {events.length.toLocaleString()} matches shown.</span>
        )}
      </div>
    </div>
  );
}
