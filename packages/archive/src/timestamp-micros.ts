/**
 * Audit timestamps arrive as RFC 3339 with microseconds (`2020-05-26T22:23:56.168178Z`). The archive keeps
 * them as integer microseconds since the epoch: integers compare, sort and index cheaply, and `Date` alone
 * would drop the last three digits, which order events that arrive within one millisecond.
 */
const fractionPattern = /T\d{2}:\d{2}:\d{2}\.(\d+)/;

/** Microseconds since the epoch, or `undefined` when the text is not a time `Date.parse` understands. */
export function parseTimestampMicros(text: string): number | undefined {
  return utcMicros(text) ?? generalMicros(text);
}

function generalMicros(text: string): number | undefined {
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) return undefined;
  // Date.parse keeps the first three fraction digits (truncating, even before 1970, because it builds the
  // time from fields); the next three are the microseconds it dropped.
  const fraction = fractionPattern.exec(text)?.[1] ?? '';
  const micros = Number(fraction.slice(3, 6).padEnd(3, '0'));
  return millis * 1000 + micros;
}

/** Digits at [from, to) as a number, or -1 if any is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The shape every audit event has, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, read digit by digit: this runs for
 * every archived event and is a third of the cost of Date.parse plus the fraction regexp. Anything else
 * (an offset; a day past the 28th, where Date.UTC and Date.parse might differ on overflow) is left to
 * the general path by returning undefined, so both paths accept exactly what Date.parse accepts.
 */
function utcMicros(text: string): number | undefined {
  const length = text.length;
  if (length < 20 || length > 30 || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return undefined;
  let micros = 0;
  if (length > 20) {
    if (text[19] !== '.' || length === 21) return undefined;
    if (digits(text, 20, length - 1) < 0) return undefined;
    micros = digits(`${text.slice(20, Math.min(26, length - 1))}000000`, 0, 6);
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) * 1000 + micros;
}
