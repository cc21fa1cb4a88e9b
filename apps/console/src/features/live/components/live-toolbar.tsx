import type { StreamState } from '../api/event-stream.ts';
import type { LiveSnapshot } from '../live-buffer.ts';

const phaseText: Record<StreamState['phase'], string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  failed: 'Stopped',
};

/** Pause/resume, the connection state and the row count. */
export function LiveToolbar({
  snapshot,
  stream,
  capacity,
  onPause,
  onResume,
}: {
  snapshot: LiveSnapshot;
  stream: StreamState;
  capacity: number;
  onPause: () => void;
  onResume: () => void;
}) {
  return (
    <div className="live-toolbar">
      {snapshot.paused ? (
        <button type="button" className="primary" onClick={onResume}>
          Resume{snapshot.held > 0 ? ` (${snapshot.held.toLocaleString()} new)` : ''}
        </button>
      ) : (
        <button type="button" onClick={onPause}>
          Pause
        </button>
      )}
      <span className="stream-state" data-phase={stream.phase} role="status">
        {snapshot.paused ? 'Paused' : phaseText[stream.phase]}
      </span>
      <span className="muted" aria-live="off">
        {snapshot.size.toLocaleString()} events shown (newest last, at most {capacity.toLocaleString()})
      </span>
    </div>
  );
}
