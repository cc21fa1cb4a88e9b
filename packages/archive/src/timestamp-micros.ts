/**
 * Audit timestamps arrive as RFC 3339 with microseconds (`2020-05-26T22:23:56.168178Z`). The archive keeps
 * them as integer microseconds since the epoch: integers compare, sort and index cheaply, and `Date` alone
 * would drop the last three digits, which order events that arrive within one millisecond.
 */
const fractionPattern = /T\d{2}:\d{2}:\d{2}\.(\d+)/;

/** Microseconds since the epoch, or `undefined` when the text is not a time `Date.parse` understands. */
export function parseTimestampMicros(text: string): number | undefined {
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) return undefined;
  // Date.parse keeps the first three fraction digits (truncating, even before 1970, because it builds the
  // time from fields); the next three are the microseconds it dropped.
  const fraction = fractionPattern.exec(text)?.[1] ?? '';
  const micros = Number(fraction.slice(3, 6).padEnd(3, '0'));
  return millis * 1000 + micros;
}
