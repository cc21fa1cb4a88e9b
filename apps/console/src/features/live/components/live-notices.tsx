import { Link } from '@tanstack/react-router';
import { formatTimestamp } from '../../../lib/time-format.ts';
import type { StreamGap } from '../api/event-stream.ts';
import type { LiveSnapshot } from '../live-buffer.ts';

/** Where the live view is incomplete: the server dropped events, old rows were let go, or a reconnect left a gap. */
export function LiveNotices({
  snapshot,
  gap,
  capacity,
}: {
  snapshot: LiveSnapshot;
  gap: StreamGap | undefined;
  capacity: number;
}) {
  return (
    <div className="live-notices">
      {snapshot.serverDropped > 0 ? (
        <p className="notice warning" role="status">
          Dropped {snapshot.serverDropped.toLocaleString()} events: this view fell behind the stream and the server let
          them go rather than slow down. Narrow the filters, or find them in{' '}
          <Link to="/search" search={{}}>
            Search
          </Link>{' '}
          if they were archived.
        </p>
      ) : null}
      {snapshot.evictedTotal > 0 ? (
        <p className="notice" role="status">
          Showing the newest {capacity.toLocaleString()} events; {snapshot.evictedTotal.toLocaleString()} older ones
          were let go to keep memory bounded.
        </p>
      ) : null}
      {gap ? (
        <p className="notice" role="status">
          Reconnected after a break ({gap.reason}).{' '}
          {gap.replayed > 0 ? `${gap.replayed.toLocaleString()} archived events were replayed. ` : null}
          {gap.complete ? null : (
            <>
              Events between {formatTimestamp(gap.sinceMs)} and now may be missing here:{' '}
              <Link to="/search" search={{ start: gap.sinceMs, end: Date.now() }}>
                search the archive for them
              </Link>
              .
            </>
          )}
        </p>
      ) : null}
    </div>
  );
}
