import type { HistogramBucket } from './event-store.ts';

/**
 * KubeSphere's histogram interval (`[0-9]+[smhdwMqy]`, default `15m`, reference §7.1), which ks-apiserver
 * hands to Elasticsearch's `date_histogram` unchanged. Buckets follow that aggregation in UTC:
 * - s, m, h, d: fixed widths counted from the epoch (a `1d` bucket is a UTC day);
 * - w: weeks starting Monday 00:00 UTC, as Elasticsearch's calendar week (`2w` pairs weeks from the first
 *   Monday before the epoch, where Elasticsearch would have counted 14 days from the epoch, a Thursday);
 * - M, q, y: calendar months, quarters and years. Elasticsearch rejects `2M`-style multiples; we count them
 *   from January 1970 instead of failing.
 * Empty buckets between the first and the last non-empty one are included with count 0: `date_histogram`
 * defaults to `min_doc_count: 0` and KubeSphere sets nothing else, so the console has always received them.
 * Nothing is added before the first or after the last event (no `extended_bounds`).
 */
export const defaultHistogramInterval = '15m';

/** Elasticsearch's `search.max_buckets` default since 7.9: past it the query fails rather than exhausting memory. */
export const maxHistogramBuckets = 65_535;

export type HistogramInterval =
  | { kind: 'fixed'; text: string; widthMs: number; originMs: number }
  | { kind: 'calendar'; text: string; months: number };

/** A bad interval or a range that needs too many buckets: the caller's request, not the archive, is at fault. */
export class HistogramError extends Error {
  override name = 'HistogramError';
}

const second = 1000;
const day = 86_400 * second;
const fixedUnits: Record<string, number> = { s: second, m: 60 * second, h: 3600 * second, d: day, w: 7 * day };
const calendarUnits: Record<string, number> = { M: 1, q: 3, y: 12 };
/** Monday 1969-12-29T00:00Z, so that week buckets start on Mondays. */
const firstMonday = -3 * day;

export function parseHistogramInterval(text: string): HistogramInterval {
  const match = /^([0-9]+)([smhdwMqy])$/.exec(text);
  if (match === null) {
    throw new HistogramError(
      `interval ${JSON.stringify(text)} is not a count followed by a unit (s, m, h, d, w, M, q or y), e.g. 15m`,
    );
  }
  const count = Number(match[1]);
  const unit = match[2]!;
  if (count === 0) throw new HistogramError(`interval ${JSON.stringify(text)} must be at least 1${unit}`);
  const months = calendarUnits[unit];
  if (months !== undefined) {
    if (count * months > 12 * 10_000) throw new HistogramError(`interval ${JSON.stringify(text)} is too long`);
    return { kind: 'calendar', text, months: count * months };
  }
  const widthMs = count * fixedUnits[unit]!;
  // Widths are multiplied to microseconds in SQL; stay far inside exact integers.
  if (widthMs > 10_000 * 365 * day) throw new HistogramError(`interval ${JSON.stringify(text)} is too long`);
  return { kind: 'fixed', text, widthMs, originMs: unit === 'w' ? firstMonday : 0 };
}

/** One row of the store's grouped count: the raw bucket key its SQL produced (see `histogramSql`). */
export interface RawBucket {
  bucket: number;
  count: number;
}

/**
 * Turns raw grouped counts, ordered by key, into KubeSphere's buckets: calendar months folded into the
 * interval, gaps filled with zero counts.
 */
export function histogramBuckets(
  interval: HistogramInterval,
  raw: readonly RawBucket[],
  maxBuckets = maxHistogramBuckets,
): HistogramBucket[] {
  const counts = new Map<number, number>();
  const step = interval.kind === 'fixed' ? 1 : interval.months;
  for (const { bucket, count } of raw) {
    const key = Math.floor(bucket / step) * step;
    counts.set(key, (counts.get(key) ?? 0) + count);
  }
  if (counts.size === 0) return [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const key of counts.keys()) {
    first = Math.min(first, key);
    last = Math.max(last, key);
  }
  const bucketCount = (last - first) / step + 1;
  if (bucketCount > maxBuckets) {
    throw new HistogramError(
      `interval ${interval.text} splits the matching events into ${bucketCount} buckets, more than ${maxBuckets}; ` +
        'choose a longer interval or a shorter time range',
    );
  }
  const buckets: HistogramBucket[] = [];
  for (let key = first; key <= last; key += step) {
    buckets.push({ time: bucketStartMs(interval, key), count: counts.get(key) ?? 0 });
  }
  return buckets;
}

function bucketStartMs(interval: HistogramInterval, key: number): number {
  return interval.kind === 'fixed' ? interval.originMs + key * interval.widthMs : Date.UTC(1970, key, 1);
}
