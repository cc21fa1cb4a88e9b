import { compact } from '../../lib/event-filters/filter-schema.ts';
import type { RangePreset, SearchSearch } from './routes/search-search.ts';

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

export const defaultRange: RangePreset = '12h';

const presetMs: Record<RangePreset, number> = {
  '15m': 15 * minute,
  '1h': hour,
  '6h': 6 * hour,
  '12h': 12 * hour,
  '24h': day,
  '7d': 7 * day,
  '30d': 30 * day,
};

export const presetLabels: Record<RangePreset, string> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '12h': 'Last 12 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

export interface TimeRange {
  start: number;
  end: number;
  /** Set when the range is a preset ("last 12 hours") rather than fixed times. */
  preset?: RangePreset;
}

/**
 * The range a search covers. A preset ends at the end of the current minute, so its query key (and the
 * cache entry) stays the same for a minute instead of changing with every render; events of the current
 * minute are still inside it.
 */
export function resolveRange(search: Pick<SearchSearch, 'range' | 'start' | 'end'>, now = Date.now()): TimeRange {
  const endOfMinute = Math.ceil(now / minute) * minute;
  if (search.start !== undefined) {
    const end = search.end ?? endOfMinute;
    return end >= search.start ? { start: search.start, end } : { start: end, end: search.start };
  }
  const preset = search.range ?? defaultRange;
  return { start: endOfMinute - presetMs[preset], end: endOfMinute, preset };
}

/** Bucket sizes, smallest first, in KubeSphere's `interval` form. */
const intervals: ReadonlyArray<readonly [string, number]> = [
  ['1s', second],
  ['5s', 5 * second],
  ['10s', 10 * second],
  ['30s', 30 * second],
  ['1m', minute],
  ['5m', 5 * minute],
  ['10m', 10 * minute],
  ['15m', 15 * minute],
  ['30m', 30 * minute],
  ['1h', hour],
  ['3h', 3 * hour],
  ['6h', 6 * hour],
  ['12h', 12 * hour],
  ['1d', day],
  ['1w', 7 * day],
];

export const maxBars = 60;

/** The smallest bucket that keeps the histogram within `maxBars` bars, so narrowing steps the interval down. */
export function histogramInterval(range: TimeRange): { interval: string; ms: number } {
  const span = Math.max(range.end - range.start, 1);
  const found = intervals.find(([, ms]) => span / ms <= maxBars) ?? intervals.at(-1)!;
  return { interval: found[0], ms: found[1] };
}

/**
 * The BFF's filter parameters for a search (routes/events-filter.ts there): each key goes to its exact or
 * fuzzy parameter as KubeSphere's console maps them (reference §8.1). Resource type matches a prefix, and
 * verb, status code and source IP work the same in both modes, as in KubeSphere.
 */
export function filterParams(search: SearchSearch, range: TimeRange): Record<string, string> {
  const fuzzy = search.mode === 'fuzzy';
  return compact({
    [fuzzy ? 'workspaceSearch' : 'workspace']: search.workspace,
    [fuzzy ? 'namespaceSearch' : 'namespace']: search.namespace,
    [fuzzy ? 'nameSearch' : 'name']: search.name,
    [fuzzy ? 'userSearch' : 'user']: search.user,
    resource: search.resource,
    verb: search.verb,
    code: search.code,
    sourceIp: search.sourceIp,
    level: search.level,
    stage: search.stage,
    start: String(range.start),
    end: String(range.end),
  }) as Record<string, string>;
}

export interface Bar {
  start: number;
  end: number;
  count: number;
}

/**
 * One bar per bucket across the whole range, empty buckets included, so gaps in time show as gaps. The
 * archive's buckets start at multiples of the interval; the first and last bar are clipped to the range.
 */
export function histogramBars(
  buckets: ReadonlyArray<{ time: number; count: number }>,
  range: TimeRange,
  intervalMs: number,
): Bar[] {
  const counts = new Map(buckets.map((bucket) => [bucket.time, bucket.count]));
  const bars: Bar[] = [];
  const first = Math.floor(range.start / intervalMs) * intervalMs;
  for (let time = first; time < range.end && bars.length <= maxBars * 2; time += intervalMs) {
    bars.push({
      start: Math.max(time, range.start),
      end: Math.min(time + intervalMs, range.end),
      count: counts.get(time) ?? 0,
    });
  }
  return bars;
}
