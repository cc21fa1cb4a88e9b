import { describe, expect, test } from 'vitest';
import { findJsonSyntaxError, JsonSyntaxError, parseJson } from './json-syntax.ts';

describe('parseJson', () => {
  test('returns the value of valid JSON', () => {
    expect(parseJson('{"items":[1,"two",null,true,{"a":-1.5e3}]}')).toEqual({
      items: [1, 'two', null, true, { a: -1500 }],
    });
  });

  test.each([
    {
      name: 'a trailing comma',
      text: '{"a":1,}',
      line: 1,
      column: 8,
      detail: 'double-quoted property name',
    },
    {
      name: 'a truncated body',
      text: '{"items":[{"auditID":"x"',
      line: 1,
      column: 25,
      detail: 'unexpected end of input',
    },
    {
      name: 'an unexpected token on a later line',
      text: '{\n  "items": [\n    {"verb": tru}\n  ]\n}',
      line: 3,
      column: 14,
      detail: 'unexpected "t"',
    },
    { name: 'a missing colon', text: '{"a" 1}', line: 1, column: 6, detail: "expected ':'" },
    { name: 'a bad escape', text: '{"a":"\\x"}', line: 1, column: 8, detail: 'escape' },
    { name: 'a raw newline in a string', text: '{"a":"one\ntwo"}', line: 1, column: 10, detail: 'control character' },
    { name: 'text after the value', text: '{} {}', line: 1, column: 4, detail: 'expected the end of the body' },
    { name: 'a single quote string', text: "{'items':[]}", line: 1, column: 2, detail: 'property name' },
    { name: 'an unclosed array', text: '[1,2', line: 1, column: 5, detail: "expected ',' or ']'" },
  ])('reports the line and column of $name', ({ text, line, column, detail }) => {
    let thrown: unknown;
    try {
      parseJson(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JsonSyntaxError);
    const error = thrown as JsonSyntaxError;
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.message).toContain(detail);
    expect(error.message).toContain(`line ${line} column ${column}`);
  });

  test('finds no error in deeply nested valid JSON without overflowing the stack', () => {
    const depth = 200_000;
    expect(findJsonSyntaxError(`${'['.repeat(depth)}${']'.repeat(depth)}`)).toBeUndefined();
    expect(findJsonSyntaxError(`${'['.repeat(depth)}${']'.repeat(depth - 1)}`)?.offset).toBe(2 * depth - 1);
  });
});
