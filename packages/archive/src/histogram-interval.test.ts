import { describe, expect, test } from 'vitest';
import { HistogramError, histogramBuckets, parseHistogramInterval } from './histogram-interval.ts';

const minute = 60_000;
const day = 86_400_000;

describe('parseHistogramInterval', () => {
  test.each([
    { name: 'seconds', text: '30s', expected: { kind: 'fixed', widthMs: 30_000, originMs: 0 } },
    { name: 'the default 15 minutes', text: '15m', expected: { kind: 'fixed', widthMs: 15 * minute, originMs: 0 } },
    { name: 'hours', text: '2h', expected: { kind: 'fixed', widthMs: 120 * minute, originMs: 0 } },
    { name: 'days', text: '1d', expected: { kind: 'fixed', widthMs: day, originMs: 0 } },
    { name: 'weeks from a Monday', text: '1w', expected: { kind: 'fixed', widthMs: 7 * day, originMs: -3 * day } },
    { name: 'calendar months', text: '1M', expected: { kind: 'calendar', months: 1 } },
    { name: 'quarters as three months', text: '1q', expected: { kind: 'calendar', months: 3 } },
    { name: 'years as twelve months', text: '2y', expected: { kind: 'calendar', months: 24 } },
  ])('reads $name ($text)', ({ text, expected }) => {
    expect(parseHistogramInterval(text)).toMatchObject({ ...expected, text });
  });

  test.each([
    { name: 'a unit without a count', text: 'm' },
    { name: 'a count without a unit', text: '15' },
    { name: 'an unknown unit', text: '3x' },
    { name: 'a fraction', text: '1.5h' },
    { name: 'a zero count', text: '0m' },
    { name: 'surrounding text', text: ' 15m' },
  ])('rejects $name with a HistogramError that quotes it', ({ text }) => {
    expect(() => parseHistogramInterval(text)).toThrow(HistogramError);
    expect(() => parseHistogramInterval(text)).toThrow(JSON.stringify(text));
  });
});

describe('histogramBuckets', () => {
  test('fills gaps between the first and last bucket with zero counts', () => {
    const interval = parseHistogramInterval('1m');
    const buckets = histogramBuckets(interval, [
      { bucket: 10, count: 2 },
      { bucket: 13, count: 1 },
    ]);
    expect(buckets).toEqual([
      { time: 10 * minute, count: 2 },
      { time: 11 * minute, count: 0 },
      { time: 12 * minute, count: 0 },
      { time: 13 * minute, count: 1 },
    ]);
  });

  test('folds months into quarters that start in January, April, July and October', () => {
    const interval = parseHistogramInterval('1q');
    // Months since January 1970: 2024-02 and 2024-03 share Q1, 2024-08 is Q3.
    const month = (year: number, monthIndex: number) => (year - 1970) * 12 + monthIndex;
    const buckets = histogramBuckets(interval, [
      { bucket: month(2024, 1), count: 1 },
      { bucket: month(2024, 2), count: 2 },
      { bucket: month(2024, 7), count: 4 },
    ]);
    expect(buckets).toEqual([
      { time: Date.UTC(2024, 0, 1), count: 3 },
      { time: Date.UTC(2024, 3, 1), count: 0 },
      { time: Date.UTC(2024, 6, 1), count: 4 },
    ]);
  });

  test('returns no buckets when nothing matched', () => {
    expect(histogramBuckets(parseHistogramInterval('15m'), [])).toEqual([]);
  });

  test('refuses a histogram with more buckets than the limit and says what to change', () => {
    const raw = [
      { bucket: 0, count: 1 },
      { bucket: 100, count: 1 },
    ];
    expect(() => histogramBuckets(parseHistogramInterval('1s'), raw, 50)).toThrow(/101 buckets, more than 50/);
  });
});
