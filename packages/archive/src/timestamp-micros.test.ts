import { describe, expect, test } from 'vitest';
import { parseTimestampMicros } from './timestamp-micros.ts';

describe('parseTimestampMicros', () => {
  test.each([
    { name: 'keeps microseconds', text: '2020-05-26T22:23:56.168178Z', micros: 1_590_531_836_168_178 },
    { name: 'reads whole seconds', text: '2020-05-26T22:23:56Z', micros: 1_590_531_836_000_000 },
    { name: 'pads a short fraction', text: '2020-05-26T22:23:56.1Z', micros: 1_590_531_836_100_000 },
    { name: 'drops digits past microseconds', text: '2020-05-26T22:23:56.168178999Z', micros: 1_590_531_836_168_178 },
    { name: 'applies a UTC offset', text: '2020-05-27T06:23:56.168178+08:00', micros: 1_590_531_836_168_178 },
    { name: 'handles times before the epoch', text: '1969-12-31T23:59:59.999500Z', micros: -500 },
    { name: 'reads the last day of a month', text: '2024-02-29T23:59:59.000001Z', micros: 1_709_251_199_000_001 },
    { name: 'reads a year before 1970 in UTC', text: '1900-01-01T00:00:00Z', micros: -2_208_988_800_000_000 },
  ])('$name', ({ text, micros }) => {
    expect(parseTimestampMicros(text)).toBe(micros);
  });

  test.each(['yesterday', '2021-13-01T00:00:00Z', '2021-01-01T00:00:00.Z', '2021-01-01T00:00:00.12a4Z'])(
    'returns undefined for %s, which is not a time',
    (text) => {
      expect(parseTimestampMicros(text)).toBeUndefined();
    },
  );
});
