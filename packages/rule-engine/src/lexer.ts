/**
 * Tokens of KubeSphere's event-rule-engine grammar (`EventRule.g4`), with ANTLR's lexing rules: the longest
 * match wins and, on a tie, the rule declared first (keywords and booleans before field names). So `in`
 * and `true` are keywords, `index` and `trueish` are field names, and `not contains` (exactly one space) is
 * one token while `not  contains` is `not` followed by `contains`. Keywords are case-sensitive.
 */
import { ConditionSyntaxError } from './condition-errors.ts';

export type TokenKind =
  | 'and'
  | 'or'
  | 'not'
  | '='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'contains'
  | 'not contains'
  | 'in'
  | 'not in'
  | 'like'
  | 'not like'
  | 'regex'
  | 'not regex'
  | 'exists'
  | 'not exists'
  | ','
  | '('
  | ')'
  | 'number'
  | 'boolean'
  | 'string'
  | 'var'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** The text as written (a string token includes its quotes). */
  text: string;
  /** For strings the decoded value (`\"` and `\\` unescaped); for everything else the text. */
  value: string;
  start: number;
  end: number;
}

// Longer words first only for readability; the longest-match rule below does not depend on order.
const keywords: readonly TokenKind[] = [
  'not contains',
  'not in',
  'not like',
  'not regex',
  'not exists',
  'and',
  'or',
  'not',
  'contains',
  'in',
  'like',
  'regex',
  'exists',
];

const booleans = ['True', 'TRUE', 'true', 'False', 'FALSE', 'false'];

const indexPattern = String.raw`(?:\[(?:\*|\d+|\d*:\d*)\])?`;
const identPattern = '[A-Za-z_][A-Za-z0-9_-]*';
const varPattern = new RegExp(`${identPattern}${indexPattern}(?:\\.${identPattern}${indexPattern})*`, 'y');
const numberPattern = /-?[0-9]+(?:\.[0-9]+)?/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const push = (kind: TokenKind, end: number, value?: string): void => {
    const text = source.slice(pos, end);
    tokens.push({ kind, text, value: value ?? text, start: pos, end });
    pos = end;
  };

  while (pos < source.length) {
    const c = source[pos] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      pos++;
      continue;
    }
    switch (c) {
      case '(':
      case ')':
      case ',':
        push(c, pos + 1);
        continue;
      case '=':
        push('=', source[pos + 1] === '=' ? pos + 2 : pos + 1);
        continue;
      case '!':
        if (source[pos + 1] === '=') push('!=', pos + 2);
        else push('not', pos + 1);
        continue;
      case '>':
      case '<':
        if (source[pos + 1] === '=') push(c === '>' ? '>=' : '<=', pos + 2);
        else push(c, pos + 1);
        continue;
      case '"': {
        const { end, value } = readString(source, pos);
        push('string', end, value);
        continue;
      }
      default:
        break;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      numberPattern.lastIndex = pos;
      const match = numberPattern.exec(source);
      if (!match) throw new ConditionSyntaxError(source, pos, `unexpected character '-'; a number must follow it`);
      push('number', pos + match[0].length);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const { kind, length } = longestWord(source, pos);
      push(kind, pos + length);
      if (kind === 'var') rejectBrokenPath(source, pos);
      continue;
    }
    throw new ConditionSyntaxError(source, pos, `unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'eof', text: '', value: '', start: source.length, end: source.length });
  return tokens;
}

function longestWord(source: string, pos: number): { kind: TokenKind; length: number } {
  varPattern.lastIndex = pos;
  const varLength = varPattern.exec(source)?.[0].length ?? 0;
  let best: { kind: TokenKind; length: number } = { kind: 'var', length: varLength };
  for (const keyword of keywords) {
    // Ties go to the keyword: ANTLR prefers the rule declared first, and VAR is declared last.
    if (keyword.length >= best.length && source.startsWith(keyword, pos))
      best = { kind: keyword, length: keyword.length };
  }
  for (const literal of booleans) {
    if (literal.length >= best.length && source.startsWith(literal, pos))
      best = { kind: 'boolean', length: literal.length };
  }
  return best;
}

// The field-name rule stops before a malformed index or a dangling dot; say so instead of "unexpected '['".
function rejectBrokenPath(source: string, varStart: number): void {
  varPattern.lastIndex = varStart;
  const end = varStart + (varPattern.exec(source)?.[0].length ?? 0);
  const next = source[end];
  if (next === '[') {
    throw new ConditionSyntaxError(
      source,
      end,
      'invalid array index in field path; expected [*], [n] or [a:b] (one index per path segment)',
    );
  }
  if (next === '.') throw new ConditionSyntaxError(source, end, `expected a field name after '.'`);
}

function readString(source: string, start: number): { end: number; value: string } {
  let value = '';
  let pos = start + 1;
  while (pos < source.length) {
    const c = source[pos] as string;
    if (c === '"') return { end: pos + 1, value };
    // EventRule.g4 recognises exactly two escapes; any other backslash is kept, so `"\d+"` stays `\d+`.
    if (c === '\\' && (source[pos + 1] === '"' || source[pos + 1] === '\\')) {
      value += source[pos + 1];
      pos += 2;
      continue;
    }
    value += c;
    pos++;
  }
  throw new ConditionSyntaxError(source, start, 'unterminated string literal; add the closing "');
}
