import { formatAgo, formatTimestamp } from '../../../lib/time-format.ts';

export interface SourceView {
  title: string;
  /** undefined: the switch could not be read (`unknownReason` says why). */
  enabled: boolean | undefined;
  unknownReason?: string;
  /** Where the switch lives, e.g. `auditing.enable in kubesphere-config`. */
  switchedBy: string;
  lastEventAt?: string;
  received?: number;
}

/** One event source: switched on or off, and when the receiver last heard from it. */
export function SourceCard({ source, now }: { source: SourceView; now: number }) {
  const state = source.enabled === undefined ? 'unknown' : source.enabled ? 'on' : 'off';
  return (
    <article className="source-card" data-state={state} aria-label={`${source.title} source`}>
      <h3>{source.title}</h3>
      <p className="source-state">
        <strong>{state === 'unknown' ? 'Unknown' : state === 'on' ? 'On' : 'Off'}</strong>{' '}
        <span className="muted">({source.switchedBy})</span>
      </p>
      {source.unknownReason ? <p className="muted">{source.unknownReason}</p> : null}
      <p>
        Last event:{' '}
        {source.lastEventAt ? (
          <time dateTime={source.lastEventAt} title={formatTimestamp(source.lastEventAt)}>
            {formatAgo(source.lastEventAt, now)}
          </time>
        ) : (
          <span className="muted">none since the receiver started</span>
        )}
        {source.received !== undefined ? ` · ${source.received.toLocaleString()} received` : null}
      </p>
    </article>
  );
}
