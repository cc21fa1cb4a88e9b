/**
 * Parser for KubeSphere's condition language, reproducing how ANTLR parses `EventRule.g4`:
 *
 *   expression : expression (and|or) expression | not expression | '(' expression ')'
 *              | VAR (= | == | != | > | < | >= | <=) (STRING | NUMBER) | VAR (= | == | !=) BOOLEAN
 *              | VAR (contains | not contains) (STRING | NUMBER)
 *              | VAR (in | not in) '(' (STRING | NUMBER) (',' (STRING | NUMBER))* ')'
 *              | VAR (like | not like | regex | not regex) STRING | VAR (exists | not exists) | VAR
 *
 * Precedence follows from ANTLR's left-recursion rewrite, where an alternative's position sets its rank:
 *  - `and` and `or` are one alternative, so they have EQUAL precedence and associate to the left:
 *    `a or b and c` is `(a or b) and c`.
 *  - `not` comes after that alternative, so it binds LOOSER than and/or: its operand is the whole
 *    and/or chain to its right. `not a and b` is `not (a and b)`, and `x and not a or b` is
 *    `x and not (a or b)`. Use parentheses (`(not a) and b`) to negate a single term.
 * These are surprising but they are how every existing KubeSphere rule has been evaluated.
 */
import { ConditionSyntaxError, positionAt } from './condition-errors.ts';
import { type FieldPath, parseFieldPath } from './field-path.ts';
import { type Token, type TokenKind, tokenize } from './lexer.ts';

export type CompareOperator = '=' | '!=' | '>' | '<' | '>=' | '<=';

export type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number; text: string };

export type ConditionNode =
  | { type: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { type: 'not'; operand: ConditionNode }
  | { type: 'compare'; path: FieldPath; operator: CompareOperator; literal: Literal }
  | { type: 'bool-compare'; path: FieldPath; negated: boolean; value: boolean }
  | { type: 'contains'; path: FieldPath; negated: boolean; text: string }
  | { type: 'in'; path: FieldPath; negated: boolean; values: readonly string[] }
  | { type: 'pattern'; path: FieldPath; negated: boolean; syntax: 'like' | 'regex'; pattern: string; offset: number }
  | { type: 'exists'; path: FieldPath; negated: boolean }
  | { type: 'variable'; path: FieldPath };

export function parseCondition(source: string): ConditionNode {
  return new Parser(source).parse();
}

class Parser {
  readonly #source: string;
  readonly #tokens: Token[];
  #pos = 0;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenize(source);
  }

  parse(): ConditionNode {
    if (this.#peek().kind === 'eof') this.#fail(this.#peek(), 'the condition is empty');
    const node = this.#expression();
    const rest = this.#peek();
    if (rest.kind !== 'eof') {
      const hint = rest.kind === ')' ? ' (no matching "(")' : '';
      this.#fail(rest, `expected 'and', 'or' or the end of the condition, found ${describe(rest)}${hint}`);
    }
    return node;
  }

  #peek(): Token {
    return this.#tokens[this.#pos] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'eof') this.#pos++;
    return token;
  }

  #fail(token: Token, reason: string): never {
    throw new ConditionSyntaxError(this.#source, token.start, reason);
  }

  #expression(): ConditionNode {
    let left = this.#primary();
    for (let op = this.#peek(); op.kind === 'and' || op.kind === 'or'; op = this.#peek()) {
      this.#next();
      left = { type: op.kind, left, right: this.#primary() };
    }
    return left;
  }

  #primary(): ConditionNode {
    const token = this.#next();
    switch (token.kind) {
      case 'not':
        if (this.#peek().kind === 'eof') this.#fail(this.#peek(), `expected a condition after '${token.text}'`);
        return { type: 'not', operand: this.#expression() };
      case '(': {
        const inner = this.#expression();
        const close = this.#next();
        if (close.kind !== ')') {
          const open = positionAt(this.#source, token.start);
          this.#fail(close, `expected ')' to close the '(' at ${open.line}:${open.column}, found ${describe(close)}`);
        }
        return inner;
      }
      case 'var':
        return this.#fieldCondition(token);
      default:
        return this.#fail(token, `expected a condition (a field name, 'not' or '('), found ${describe(token)}`);
    }
  }

  #fieldCondition(field: Token): ConditionNode {
    const parsed = parseFieldPath(field.text);
    if ('invalidIndex' in parsed) this.#fail(field, `array index ${parsed.invalidIndex} is too large`);
    const path = parsed;
    const op = this.#peek();
    if (path.endsWithIndex && op.kind !== 'contains' && op.kind !== 'not contains') {
      this.#fail(
        field,
        `'${path.text}' ends with an array index, which KubeSphere only allows with 'contains' or 'not contains'`,
      );
    }
    switch (op.kind) {
      case '=':
      case '!=': {
        this.#next();
        const value = this.#next();
        if (value.kind === 'boolean') {
          return { type: 'bool-compare', path, negated: op.kind === '!=', value: value.text.toLowerCase() === 'true' };
        }
        return {
          type: 'compare',
          path,
          operator: op.kind,
          literal: this.#literal(value, op, 'a string, number or boolean'),
        };
      }
      case '>':
      case '<':
      case '>=':
      case '<=': {
        this.#next();
        return {
          type: 'compare',
          path,
          operator: op.kind,
          literal: this.#literal(this.#next(), op, 'a string or number'),
        };
      }
      case 'contains':
      case 'not contains': {
        this.#next();
        const literal = this.#literal(this.#next(), op, 'a string or number');
        const text = literal.kind === 'string' ? literal.value : literal.text;
        return { type: 'contains', path, negated: op.kind === 'not contains', text };
      }
      case 'in':
      case 'not in':
        this.#next();
        return { type: 'in', path, negated: op.kind === 'not in', values: this.#valueList(op) };
      case 'like':
      case 'not like':
      case 'regex':
      case 'not regex': {
        this.#next();
        const pattern = this.#next();
        if (pattern.kind !== 'string')
          this.#fail(pattern, `expected a string after '${op.text}', found ${describe(pattern)}`);
        const syntax = op.kind === 'like' || op.kind === 'not like' ? 'like' : 'regex';
        const negated = op.kind.startsWith('not ');
        return { type: 'pattern', path, negated, syntax, pattern: pattern.value, offset: pattern.start };
      }
      case 'exists':
      case 'not exists':
        this.#next();
        return { type: 'exists', path, negated: op.kind === 'not exists' };
      default:
        return { type: 'variable', path };
    }
  }

  #literal(token: Token, op: Token, expected: string): Literal {
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (token.kind === 'number') return { kind: 'number', value: Number(token.text), text: token.text };
    return this.#fail(token, `expected ${expected} after '${op.text}', found ${describe(token)}`);
  }

  // In-lists compare text: a NUMBER item matches the field's Go text (`code in (200, 404)`).
  #valueList(op: Token): string[] {
    const open = this.#next();
    if (open.kind !== '(') this.#fail(open, `expected '(' after '${op.text}', found ${describe(open)}`);
    const values: string[] = [];
    for (;;) {
      const item = this.#next();
      if (item.kind !== 'string' && item.kind !== 'number') {
        const where = values.length === 0 ? `after '${op.text} ('` : `after ','`;
        this.#fail(item, `expected a string or number ${where}, found ${describe(item)}`);
      }
      values.push(item.value);
      const separator = this.#next();
      if (separator.kind === ')') return values;
      if (separator.kind !== ',')
        this.#fail(separator, `expected ',' or ')' in the '${op.text}' list, found ${describe(separator)}`);
    }
  }
}

const punctuation = new Set<TokenKind>(['(', ')', ',', '=', '!=', '>', '<', '>=', '<=']);

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the condition';
  if (token.kind === 'string') return `the string ${token.text}`;
  if (token.kind === 'number') return `the number ${token.text}`;
  if (token.kind === 'var') return `the field '${token.text}'`;
  if (punctuation.has(token.kind)) return `'${token.text}'`;
  return `the keyword '${token.text}'`;
}
