import { describe, expect, test } from 'vitest';
import {
  comparePriority,
  meetsPriority,
  normalisePriority,
  type Priority,
  priorities,
  priorityRank,
} from './priority.ts';

describe('priorities', () => {
  test('are ordered DEBUG < INFO < WARNING', () => {
    expect([...priorities]).toEqual(['DEBUG', 'INFO', 'WARNING']);
  });

  test.each([
    { name: 'ranks DEBUG 1', value: 'DEBUG', rank: 1 },
    { name: 'ranks INFO 2', value: 'INFO', rank: 2 },
    { name: 'ranks WARNING 3', value: 'WARNING', rank: 3 },
    { name: 'ranks an unknown priority 0', value: 'ERROR', rank: 0 },
    { name: 'ranks a lower-case priority 0, as KubeSphere does', value: 'warning', rank: 0 },
    { name: 'ranks an empty priority 0', value: '', rank: 0 },
    { name: 'ranks a missing priority 0', value: undefined, rank: 0 },
  ])('$name', ({ value, rank }) => {
    expect(priorityRank(value)).toBe(rank);
  });

  test.each([
    { name: 'puts DEBUG below INFO', a: 'DEBUG', b: 'INFO', sign: -1 },
    { name: 'puts WARNING above INFO', a: 'WARNING', b: 'INFO', sign: 1 },
    { name: 'treats equal priorities as equal', a: 'INFO', b: 'INFO', sign: 0 },
    { name: 'puts an unknown priority below DEBUG', a: 'bogus', b: 'DEBUG', sign: -1 },
  ])('comparePriority $name', ({ a, b, sign }) => {
    expect(Math.sign(comparePriority(a, b))).toBe(sign);
  });
});

describe('meetsPriority', () => {
  test.each<{ name: string; value: string | undefined; threshold: Priority; expected: boolean }>([
    {
      name: 'passes a threshold equal to the priority (inclusive)',
      value: 'WARNING',
      threshold: 'WARNING',
      expected: true,
    },
    { name: 'passes a lower threshold', value: 'INFO', threshold: 'DEBUG', expected: true },
    { name: 'fails a higher threshold', value: 'INFO', threshold: 'WARNING', expected: false },
    { name: 'fails every threshold without a priority', value: undefined, threshold: 'DEBUG', expected: false },
    { name: 'fails every threshold with an unknown priority', value: 'CRITICAL', threshold: 'DEBUG', expected: false },
  ])('$name', ({ value, threshold, expected }) => {
    expect(meetsPriority(value, threshold)).toBe(expected);
  });
});

describe('normalisePriority', () => {
  test.each<{ name: string; value: unknown; fallback: Priority; expected: Priority }>([
    { name: 'keeps a valid priority', value: 'INFO', fallback: 'WARNING', expected: 'INFO' },
    {
      name: 'falls back to DEBUG for an invalid archiving priority',
      value: 'LOUD',
      fallback: 'DEBUG',
      expected: 'DEBUG',
    },
    {
      name: 'falls back to WARNING for an empty alerting priority',
      value: '',
      fallback: 'WARNING',
      expected: 'WARNING',
    },
    { name: 'falls back for a missing priority', value: undefined, fallback: 'WARNING', expected: 'WARNING' },
    { name: 'falls back for a non-string', value: 3, fallback: 'DEBUG', expected: 'DEBUG' },
  ])('$name', ({ value, fallback, expected }) => {
    expect(normalisePriority(value, fallback)).toBe(expected);
  });
});
