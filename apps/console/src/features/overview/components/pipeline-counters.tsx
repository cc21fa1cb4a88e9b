export interface PipelineCountsView {
  eventsPerSecond: number;
  windowSeconds: number;
  received: number;
  archived: number;
  alerted: number;
  dropped: number;
  droppedByReason: Record<string, number>;
  rejectedRequests: number;
  rejectedByReason: Record<string, number>;
  startedAt: string;
}

function Reasons({ label, counts }: { label: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts).filter(([, count]) => count > 0);
  if (entries.length === 0) return null;
  return (
    <ul className="reason-list" aria-label={label}>
      {entries
        .sort(([, a], [, b]) => b - a)
        .map(([reason, count]) => (
          <li key={reason}>
            <code>{reason}</code>: {count.toLocaleString()}
          </li>
        ))}
    </ul>
  );
}

/** The receiver's counters since it started: rate, and what became of the events. */
export function PipelineCounters({ counts }: { counts: PipelineCountsView }) {
  const rate = counts.eventsPerSecond >= 10 ? counts.eventsPerSecond.toFixed(0) : counts.eventsPerSecond.toFixed(1);
  return (
    <div className="counters">
      <dl className="counter-grid">
        <div>
          <dt>Live events/s</dt>
          <dd>{rate}</dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{counts.received.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Archived</dt>
          <dd>{counts.archived.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Alerted</dt>
          <dd>{counts.alerted.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Dropped</dt>
          <dd>{counts.dropped.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Rejected requests</dt>
          <dd>{counts.rejectedRequests.toLocaleString()}</dd>
        </div>
      </dl>
      <p className="muted">
        Rate over the last {counts.windowSeconds} s; counts since the receiver started (
        {new Date(counts.startedAt).toLocaleString()}).
      </p>
      <Reasons label="Dropped, by reason" counts={counts.droppedByReason} />
      <Reasons label="Rejected, by reason" counts={counts.rejectedByReason} />
    </div>
  );
}
