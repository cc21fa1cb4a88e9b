import { describe, expect, test } from 'vitest';
import { compareGoStrings, formatGoFloat, goSprint, parseGoBool, parseGoFloat } from './go-format.ts';

describe('goSprint', () => {
  test.each([
    { name: 'prints an integral JSON number without a fraction', value: 200, expected: '200' },
    { name: 'prints a fraction with its shortest digits', value: 1.5, expected: '1.5' },
    { name: 'prints 999999 in plain notation (exponent 5)', value: 999_999, expected: '999999' },
    { name: 'switches to exponent form at 1e6, as float64 %v does', value: 1_000_000, expected: '1e+06' },
    { name: 'prints 1500000 as 1.5e+06', value: 1_500_000, expected: '1.5e+06' },
    { name: 'keeps every significant digit in exponent form', value: 1_234_567, expected: '1.234567e+06' },
    { name: 'prints a large integer in exponent form', value: 608863452348.1149, expected: '6.088634523481149e+11' },
    { name: 'uses a two-digit exponent at least', value: 1e21, expected: '1e+21' },
    { name: 'uses a three-digit exponent when needed', value: 1e100, expected: '1e+100' },
    { name: 'prints 0.0001 in plain notation (exponent -4)', value: 0.0001, expected: '0.0001' },
    { name: 'prints 0.00001 in exponent form (exponent -5)', value: 0.00001, expected: '1e-05' },
    { name: 'prints a small fraction with its digits', value: 0.000012345, expected: '1.2345e-05' },
    { name: 'prints a negative large number with its sign', value: -2_500_000, expected: '-2.5e+06' },
    { name: 'prints negative zero as -0', value: -0, expected: '-0' },
    { name: 'prints zero as 0', value: 0, expected: '0' },
    { name: 'prints positive infinity as +Inf', value: Number.POSITIVE_INFINITY, expected: '+Inf' },
    { name: 'prints NaN as NaN', value: Number.NaN, expected: 'NaN' },
    { name: 'prints a string as is', value: 'kube-system', expected: 'kube-system' },
    { name: 'prints true as true', value: true, expected: 'true' },
    { name: 'prints false as false', value: false, expected: 'false' },
    { name: 'prints null as <nil>', value: null, expected: '<nil>' },
    { name: 'prints an array with spaces and brackets', value: ['a', 'b'], expected: '[a b]' },
    { name: 'prints numbers and nil inside an array', value: [1, 2.5, null], expected: '[1 2.5 <nil>]' },
    { name: 'prints an empty array as []', value: [], expected: '[]' },
    { name: 'prints a map with sorted keys', value: { b: 1, a: 'x' }, expected: 'map[a:x b:1]' },
    {
      name: 'prints nested maps and arrays',
      value: [{ port: 80, host: [true] }],
      expected: '[map[host:[true] port:80]]',
    },
    { name: 'prints an empty map as map[]', value: {}, expected: 'map[]' },
  ])('$name', ({ value, expected }) => {
    expect(goSprint(value)).toBe(expected);
  });
});

describe('formatGoFloat', () => {
  test.each([
    { name: 'round-trips the shortest representation of 0.1', value: 0.1, expected: '0.1' },
    {
      name: 'keeps 17 significant digits where they are needed',
      value: 0.30000000000000004,
      expected: '0.30000000000000004',
    },
    {
      name: 'prints the largest float64 in exponent form',
      value: Number.MAX_VALUE,
      expected: '1.7976931348623157e+308',
    },
    { name: 'prints the smallest subnormal in exponent form', value: 5e-324, expected: '5e-324' },
  ])('$name', ({ value, expected }) => {
    expect(formatGoFloat(value)).toBe(expected);
  });
});

describe('parseGoFloat', () => {
  test.each([
    { name: 'parses an integer', text: '42', expected: 42 },
    { name: 'parses a signed fraction', text: '-1.25', expected: -1.25 },
    { name: 'parses a leading plus sign', text: '+3', expected: 3 },
    { name: 'parses a trailing dot', text: '5.', expected: 5 },
    { name: 'parses a leading dot', text: '.5', expected: 0.5 },
    { name: 'parses an exponent', text: '1.5e+06', expected: 1_500_000 },
    { name: 'parses a hexadecimal float', text: '0x1.8p1', expected: 3 },
    { name: 'parses infinity in any case', text: '-Inf', expected: Number.NEGATIVE_INFINITY },
    { name: 'parses the long infinity spelling', text: 'infinity', expected: Number.POSITIVE_INFINITY },
    { name: 'rejects the empty string', text: '', expected: undefined },
    { name: 'rejects surrounding spaces', text: ' 5', expected: undefined },
    { name: 'rejects a word', text: 'abc', expected: undefined },
    { name: 'rejects a boolean', text: 'true', expected: undefined },
    { name: 'rejects a Go array print', text: '[1 2]', expected: undefined },
    { name: 'rejects a number beyond float64 range', text: '1e400', expected: undefined },
    { name: 'rejects underscores without a base prefix', text: '1_000', expected: undefined },
  ])('$name', ({ text, expected }) => {
    expect(parseGoFloat(text)).toBe(expected);
  });

  test('parses NaN', () => {
    expect(parseGoFloat('NaN')).toBeNaN();
  });
});

describe('parseGoBool', () => {
  test.each([
    { name: 'accepts 1 as true', text: '1', expected: true },
    { name: 'accepts t as true', text: 't', expected: true },
    { name: 'accepts True as true', text: 'True', expected: true },
    { name: 'accepts TRUE as true', text: 'TRUE', expected: true },
    { name: 'accepts 0 as false', text: '0', expected: false },
    { name: 'accepts F as false', text: 'F', expected: false },
    { name: 'accepts false as false', text: 'false', expected: false },
    { name: 'rejects mixed case tRUE', text: 'tRUE', expected: undefined },
    { name: 'rejects yes', text: 'yes', expected: undefined },
    { name: 'rejects <nil>', text: '<nil>', expected: undefined },
  ])('$name', ({ text, expected }) => {
    expect(parseGoBool(text)).toBe(expected);
  });
});

describe('compareGoStrings', () => {
  test.each([
    { name: 'orders by code point like Go byte order', a: 'a', b: 'b', sign: -1 },
    { name: 'treats equal strings as equal', a: 'pods', b: 'pods', sign: 0 },
    { name: 'puts a prefix first', a: 'pod', b: 'pods', sign: -1 },
    { name: 'puts upper case before lower case', a: 'Z', b: 'a', sign: -1 },
    {
      name: 'compares RFC 3339 timestamps chronologically',
      a: '2024-05-01T08:00:00Z',
      b: '2024-05-01T09:00:00Z',
      sign: -1,
    },
    { name: 'puts an astral character after U+FFFD, as UTF-8 does', a: '😀', b: '\uFFFD', sign: 1 },
  ])('$name', ({ a, b, sign }) => {
    expect(Math.sign(compareGoStrings(a, b))).toBe(sign);
  });
});
