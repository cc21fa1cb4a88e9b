import { formatTimestamp } from '../../../lib/time-format.ts';
import type { Bar } from '../search-query.ts';

/**
 * Events over time as CSS bars (no chart library). A bar with events is a button: clicking it narrows the
 * search to that bucket, and the next histogram uses a smaller interval, as KubeSphere's does.
 */
export function Histogram({
  bars,
  total,
  onNarrow,
}: {
  bars: Bar[];
  total: number;
  onNarrow: (start: number, end: number) => void;
}) {
  const highest = Math.max(1, ...bars.map((bar) => bar.count));
  const first = bars[0];
  const last = bars.at(-1);
  return (
    <figure className="histogram">
      <figcaption>
        <strong>{total.toLocaleString()}</strong> events in range. Select a bar to narrow the range to it.
      </figcaption>
      <ol className="histogram-bars" aria-label="Events over time">
        {bars.map((bar) => {
          const label = `${formatTimestamp(bar.start)} to ${formatTimestamp(bar.end)}: ${bar.count.toLocaleString()} events`;
          const height = `${Math.max(bar.count > 0 ? 4 : 0, (bar.count / highest) * 100)}%`;
          return (
            <li key={bar.start} title={label}>
              {bar.count > 0 ? (
                <button
                  type="button"
                  className="histogram-bar"
                  aria-label={label}
                  style={{ height }}
                  // The archive's end is inclusive; the bucket's is not.
                  onClick={() => onNarrow(bar.start, bar.end - 1)}
                />
              ) : (
                <span className="histogram-bar empty" />
              )}
            </li>
          );
        })}
      </ol>
      {first && last ? (
        <div className="histogram-axis" aria-hidden="true">
          <span>{formatTimestamp(first.start).slice(0, 19)}</span>
          <span>{formatTimestamp(last.end).slice(0, 19)}</span>
        </div>
      ) : null}
    </figure>
  );
}
