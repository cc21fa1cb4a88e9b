import { getRouteApi } from '@tanstack/react-router';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { EventDetails } from '../../../lib/audit-event/event-details.tsx';
import { Drawer } from '../../../lib/drawer.tsx';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { type StreamGap, useEventStream } from '../api/event-stream.ts';
import { LiveEventList } from '../components/live-event-list.tsx';
import { LiveFilterForm } from '../components/live-filter-form.tsx';
import { LiveNotices } from '../components/live-notices.tsx';
import { LiveToolbar } from '../components/live-toolbar.tsx';
import { LiveBuffer, liveBufferCapacity } from '../live-buffer.ts';
import { type LiveFilters, liveFilters } from './live-search.ts';
import '../live.css';

const route = getRouteApi('/shell/live');

function LiveView({ filters, selectedKey }: { filters: LiveFilters; selectedKey: string | undefined }) {
  const navigate = route.useNavigate();
  const [buffer] = useState(() => new LiveBuffer(liveBufferCapacity));
  useEffect(() => () => buffer.dispose(), [buffer]);
  const snapshot = useSyncExternalStore(buffer.subscribe, buffer.getSnapshot);
  const [gap, setGap] = useState<StreamGap>();
  const [stream, retry] = useEventStream(filters, {
    onEvent: (event) => buffer.push(event),
    onDropped: (count) => buffer.noteServerDropped(count),
    onGap: setGap,
  });
  const selected = selectedKey ? buffer.byKey(selectedKey) : undefined;
  // Stable, so the memoised rows are not all re-rendered for a new callback on every flush.
  const openEvent = useCallback(
    (key: string | undefined) =>
      void navigate({ search: (previous) => ({ ...previous, event: key }), replace: key === undefined }),
    [navigate],
  );

  return (
    <>
      <LiveToolbar
        snapshot={snapshot}
        stream={stream}
        capacity={buffer.capacity}
        onPause={() => buffer.setPaused(true)}
        onResume={() => buffer.setPaused(false)}
      />
      {stream.phase === 'failed' ? (
        <div className="stream-failure">
          <StatusMessage error={stream.error} />
          <button type="button" onClick={retry}>
            Reconnect
          </button>
        </div>
      ) : null}
      <LiveNotices snapshot={snapshot} gap={gap} capacity={buffer.capacity} />
      <LiveEventList buffer={buffer} snapshot={snapshot} selectedKey={selectedKey} onOpen={openEvent} />
      {selectedKey ? (
        <Drawer title="Event details" onClose={() => openEvent(undefined)}>
          {selected ? (
            <EventDetails event={selected.event} />
          ) : (
            <p>
              This event is no longer in the live view (it was let go or the page reloaded). If it was archived, Search
              finds it.
            </p>
          )}
        </Drawer>
      ) : null}
    </>
  );
}

export function LivePage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const filters = liveFilters(search);
  return (
    <section aria-labelledby="page-title" className="live-page">
      <h1 id="page-title">Live events</h1>
      <p className="muted">
        Audit events as the receiver gets them, pushed to this page, filtered on the server and limited to what you may
        see.
      </p>
      <LiveFilterForm filters={filters} onApply={(next) => void navigate({ search: next })} />
      {/* A new filter set is a new stream and a new buffer. */}
      <LiveView key={JSON.stringify(filters)} filters={filters} selectedKey={search.event} />
    </section>
  );
}
