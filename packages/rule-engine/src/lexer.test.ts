import { describe, expect, test } from 'vitest';
import { ConditionSyntaxError } from './condition-errors.ts';
import { tokenize } from './lexer.ts';

const kinds = (source: string) => tokenize(source).map((token) => token.kind);

describe('tokenize', () => {
  test.each([
    { name: 'reads a comparison', source: 'Verb = "create"', expected: ['var', '=', 'string', 'eof'] },
    { name: 'reads == as the same token as =', source: 'a == 1', expected: ['var', '=', 'number', 'eof'] },
    { name: 'reads != as one token', source: 'a != 1', expected: ['var', '!=', 'number', 'eof'] },
    { name: 'reads ! alone as not', source: '!a', expected: ['not', 'var', 'eof'] },
    {
      name: 'reads >= and <=',
      source: 'a >= 1 and b <= 2',
      expected: ['var', '>=', 'number', 'and', 'var', '<=', 'number', 'eof'],
    },
    {
      name: 'reads > and < without spaces',
      source: 'a>1 or b<2',
      expected: ['var', '>', 'number', 'or', 'var', '<', 'number', 'eof'],
    },
    {
      name: "reads 'not in' as one token",
      source: 'a not in ("x")',
      expected: ['var', 'not in', '(', 'string', ')', 'eof'],
    },
    {
      name: "reads 'not contains' as one token",
      source: 'a not contains "x"',
      expected: ['var', 'not contains', 'string', 'eof'],
    },
    {
      name: "reads 'not like' as one token",
      source: 'a not like "x*"',
      expected: ['var', 'not like', 'string', 'eof'],
    },
    {
      name: "reads 'not regex' as one token",
      source: 'a not regex "x"',
      expected: ['var', 'not regex', 'string', 'eof'],
    },
    { name: "reads 'not exists' as one token", source: 'a not exists', expected: ['var', 'not exists', 'eof'] },
    {
      name: 'reads not followed by two spaces as two tokens',
      source: 'a not  in ("x")',
      expected: ['var', 'not', 'in', '(', 'string', ')', 'eof'],
    },
    {
      name: 'reads a keyword prefix of a longer name as a field',
      source: 'index and notes',
      expected: ['var', 'and', 'var', 'eof'],
    },
    {
      name: 'reads upper-case AND as a field name (keywords are case-sensitive)',
      source: 'AND',
      expected: ['var', 'eof'],
    },
    {
      name: 'reads all boolean spellings',
      source: 'True TRUE true False FALSE false',
      expected: ['boolean', 'boolean', 'boolean', 'boolean', 'boolean', 'boolean', 'eof'],
    },
    { name: 'reads a boolean prefix of a longer name as a field', source: 'trueish', expected: ['var', 'eof'] },
    { name: 'reads a negative number', source: 'a > -1.5', expected: ['var', '>', 'number', 'eof'] },
    {
      name: 'reads a dotted path with dashes as one field',
      source: 'metadata.labels.app-name',
      expected: ['var', 'eof'],
    },
    {
      name: 'reads array indexes as part of the field',
      source: 'a[*].b[0].c[1:2].d[:3].e[4:]',
      expected: ['var', 'eof'],
    },
    { name: 'skips tabs and newlines', source: 'a\n\tand\r\nb', expected: ['var', 'and', 'var', 'eof'] },
    { name: 'reads an empty input as just the end', source: '   ', expected: ['eof'] },
  ])('$name', ({ source, expected }) => {
    expect(kinds(source)).toEqual(expected);
  });

  test.each([
    { name: 'decodes an escaped quote', source: '"say \\"hi\\""', value: 'say "hi"' },
    { name: 'decodes an escaped backslash', source: '"a\\\\b"', value: 'a\\b' },
    { name: 'keeps other backslashes, so regexps read naturally', source: '"\\d+\\."', value: '\\d+\\.' },
    { name: 'reads the empty string', source: '""', value: '' },
  ])('$name', ({ source, value }) => {
    expect(tokenize(source)[0]).toMatchObject({ kind: 'string', value, text: source });
  });

  test('records where each token starts and ends', () => {
    expect(tokenize('ab >= 10').map(({ start, end }) => [start, end])).toEqual([
      [0, 2],
      [3, 5],
      [6, 8],
      [8, 8],
    ]);
  });

  test.each([
    {
      name: 'an unterminated string, at its opening quote',
      source: 'a = "abc',
      offset: 4,
      message: 'unterminated string',
    },
    { name: 'a string ending in an escaped quote', source: 'a = "abc\\"', offset: 4, message: 'unterminated string' },
    { name: 'an unknown character', source: 'a = #', offset: 4, message: 'unexpected character "#"' },
    { name: 'a dash without digits', source: 'a > -x', offset: 4, message: "unexpected character '-'" },
    { name: 'a malformed array index', source: 'a[x] contains "b"', offset: 1, message: 'invalid array index' },
    { name: 'two indexes on one segment', source: 'a[0][1] contains "b"', offset: 4, message: 'invalid array index' },
    { name: 'a dangling dot', source: 'a. = "b"', offset: 1, message: "expected a field name after '.'" },
  ])('rejects $name', ({ source, offset, message }) => {
    let thrown: unknown;
    try {
      tokenize(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConditionSyntaxError);
    expect((thrown as ConditionSyntaxError).position.offset).toBe(offset);
    expect((thrown as ConditionSyntaxError).message).toContain(message);
  });
});
