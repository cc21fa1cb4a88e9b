import { describe, expect, test } from 'vitest';
import { compileGoRegexp, GoRegexpError, globToGoRegexp } from './go-regexp.ts';

describe('compileGoRegexp matches as Go regexp does', () => {
  test.each([
    { name: 'matches anywhere in the text (unanchored)', pattern: 'system', text: 'kube-system', matches: true },
    { name: 'anchors with ^ and $ when asked', pattern: '^kube-system$', text: 'kube-system', matches: true },
    { name: '$ does not match before a trailing newline', pattern: 'a$', text: 'a\n', matches: false },
    { name: '. does not match a newline', pattern: 'a.b', text: 'a\nb', matches: false },
    { name: '. matches a carriage return (JavaScript would not)', pattern: 'a.b', text: 'a\rb', matches: true },
    { name: '(?s) lets . match a newline', pattern: '(?s)a.b', text: 'a\nb', matches: true },
    { name: '(?m) makes ^ match after a newline', pattern: '(?m)^b', text: 'a\nb', matches: true },
    { name: '^ without (?m) only matches at the start', pattern: '^b', text: 'a\nb', matches: false },
    { name: '(?i) at the start ignores case', pattern: '(?i)ADMIN', text: 'cluster-admin', matches: true },
    { name: '(?i) in the middle only affects what follows', pattern: 'a(?i)b', text: 'AB', matches: false },
    { name: '(?i) in the middle applies after it', pattern: 'a(?i)b', text: 'aB', matches: true },
    { name: '(?i) applies across | until the group ends', pattern: '(x(?i)a|b)c', text: 'Bc', matches: true },
    { name: '(?i) ends with its group', pattern: '((?i)a)b', text: 'AB', matches: false },
    { name: '(?i:…) groups ignore case inside only', pattern: '(?i:a)b', text: 'Ab', matches: true },
    { name: '\\s is ASCII whitespace only', pattern: '\\s', text: '\u00a0', matches: false },
    { name: '\\s matches a tab', pattern: 'a\\sb', text: 'a\tb', matches: true },
    { name: '\\d matches ASCII digits', pattern: '^\\d+$', text: '2024', matches: true },
    { name: '\\pL matches a letter from any script', pattern: '^\\pL+$', text: 'überß', matches: true },
    { name: '\\p{Greek} matches a Greek letter', pattern: '\\p{Greek}', text: 'α', matches: true },
    { name: '\\P{L} matches a non-letter', pattern: '\\P{L}', text: 'abc', matches: false },
    { name: '[[:alpha:]] is a POSIX class', pattern: '^[[:alpha:]]+$', text: 'Pods', matches: true },
    { name: '[[:digit:]] rejects letters', pattern: '^[[:digit:]]+$', text: '12a', matches: false },
    { name: 'a leading ] in a class is a literal', pattern: '[]a]', text: ']', matches: true },
    { name: 'a [ inside a class is a literal', pattern: '[[a]', text: '[', matches: true },
    { name: 'a { that is not a repetition is a literal', pattern: 'a{b', text: 'a{b', matches: true },
    { name: 'a lone } is a literal', pattern: 'a}', text: 'a}', matches: true },
    { name: '{2,3} repeats', pattern: '^a{2,3}$', text: 'aaa', matches: true },
    { name: '\\Q…\\E quotes metacharacters', pattern: '\\Q*.io\\E', text: 'x*.io', matches: true },
    { name: 'escaped punctuation is literal', pattern: '\\"quoted\\"', text: '"quoted"', matches: true },
    { name: 'escaped dot is literal', pattern: 'a\\.b', text: 'axb', matches: false },
    { name: '\\x{…} is a code point', pattern: '\\x{263a}', text: '☺', matches: true },
    { name: 'octal \\101 is A', pattern: '\\101', text: 'A', matches: true },
    { name: '\\A matches only at the start of the text', pattern: '\\Aa', text: 'ba', matches: false },
    { name: '\\z matches only at the end of the text', pattern: 'a\\z', text: 'ab', matches: false },
    { name: '(?P<name>…) is a capturing group', pattern: '(?P<verb>create|delete)', text: 'delete', matches: true },
    { name: 'accepts the (?U) ungreedy flag', pattern: '(?U)^a+b', text: 'aaab', matches: true },
    { name: '. matches one code point, not one UTF-16 unit', pattern: '^.$', text: '😀', matches: true },
  ])('$name', ({ pattern, text, matches }) => {
    expect(compileGoRegexp(pattern).test(text)).toBe(matches);
  });
});

describe('compileGoRegexp rejects what Go rejects', () => {
  test.each([
    { name: 'lookahead', pattern: 'a(?=b)', reason: 'lookaround' },
    { name: 'lookbehind', pattern: '(?<=a)b', reason: 'lookaround' },
    { name: 'a backreference', pattern: '(a)\\1', reason: 'backreferences' },
    { name: 'an unknown escape', pattern: '\\q', reason: 'invalid escape' },
    { name: 'a trailing backslash', pattern: 'a\\', reason: 'trailing backslash' },
    { name: 'an unclosed group', pattern: '(a', reason: 'missing closing )' },
    { name: 'an unmatched )', pattern: 'a)', reason: 'unexpected )' },
    { name: 'an unclosed class', pattern: '[a', reason: 'missing closing ]' },
    { name: 'a repetition count over 1000', pattern: 'a{1001}', reason: 'invalid repeat count' },
    { name: 'a repetition without operand', pattern: '*a', reason: 'invalid regular expression' },
    { name: 'an unknown POSIX class', pattern: '[[:nope:]]', reason: 'invalid POSIX class' },
  ])('rejects $name', ({ pattern, reason }) => {
    expect(() => compileGoRegexp(pattern)).toThrow(GoRegexpError);
    expect(() => compileGoRegexp(pattern)).toThrow(reason);
  });
});

describe('globToGoRegexp', () => {
  test.each([
    { name: 'turns ? into any single character', glob: 'pod?', expected: 'pod.' },
    { name: 'turns a run of * into one (.*)', glob: 'kube-**', expected: 'kube-(.*)' },
    { name: 'leaves other regexp syntax alone', glob: 'a.b*', expected: 'a.b(.*)' },
  ])('$name', ({ glob, expected }) => {
    expect(globToGoRegexp(glob)).toBe(expected);
  });
});
