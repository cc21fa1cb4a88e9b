/**
 * Turns a condition into a tree of closures, once. Evaluating an event then only calls functions: no
 * re-parsing, no dispatch on node kinds, regexps and in-lists prepared ahead.
 *
 * Semantics are KubeSphere's (event-rule-engine `visitor/eventrule.go`, reference §4):
 *  - Values are compared as Go text (`fmt.Sprint`): strings lexicographically, `in` and `contains` on
 *    that text. Against a NUMBER literal both sides are parsed as floats, and a field that is not numeric
 *    is an evaluation error. BOOLEAN literals and bare fields parse the field with Go's `ParseBool`.
 *  - A missing or null field makes every comparison false, including `!=`, `not contains`, `not in`,
 *    `not like` and `not regex`; only `not exists` is true. (`not <expr>` negates, so `not X = "a"` is
 *    true for a missing X.)
 *  - An evaluation error anywhere makes the whole condition an error, whichever way and/or would have
 *    gone: KubeSphere evaluates both sides of `and`/`or` and turns the panic into "no match". Here a side
 *    is skipped only when it cannot fail, which gives the same result faster.
 *  - Array paths: `[*]` needs one matching element, `[n]` and `[a:b]` need all selected elements to
 *    match; a missing, null or empty array is false.
 *
 * Deliberate differences from KubeSphere, all where the original crashes or ignores the input:
 *  - Inside array elements a missing key or nested array makes that element not match instead of
 *    panicking (KubeSphere fails the whole rule when, say, one container has no `ports`), and an empty
 *    nested array no longer stops the search in the other elements.
 *  - A bare field or `not` field with an array path (`spec.containers[*].stdin`) tests each element;
 *    KubeSphere looked up the bracketed text as a key and was always false.
 *  - An invalid `regex`/`like` pattern is a compile error; KubeSphere accepted it and failed on every event.
 *  - String literals decode the `\"` and `\\` escapes the grammar defines; KubeSphere kept the backslashes.
 */
import { ConditionEvaluationError, ConditionSyntaxError } from './condition-errors.ts';
import type { ArrayIndex, FieldPath, PathStep } from './field-path.ts';
import { type FlatEvent, FlatKey, findKey } from './flatten.ts';
import { compareGoStrings, goSprint, parseGoBool, parseGoFloat } from './go-format.ts';
import { compileGoRegexp, GoRegexpError, globToGoRegexp } from './go-regexp.ts';
import { type CompareOperator, type ConditionNode, parseCondition } from './parser.ts';

export type EvaluationResult = { matched: boolean } | { error: string };

export interface CompiledCondition {
  /** The condition text as compiled. */
  readonly source: string;
  /** Field paths the condition reads, in order of appearance, without duplicates. */
  readonly fields: readonly string[];
  /** True when the event matches; an evaluation error counts as no match, as in KubeSphere. */
  evaluate(event: FlatEvent): boolean;
  /** Like `evaluate`, but tells an evaluation error apart from a plain "no match". */
  evaluateDetailed(event: FlatEvent): EvaluationResult;
}

/** Parses and compiles a condition; throws `ConditionSyntaxError` (with position) when it is not valid. */
export function compileCondition(source: string): CompiledCondition {
  const tree = parseCondition(source);
  const fields = new Set<string>();
  const { test } = compileNode(tree, source, fields);
  return {
    source,
    fields: [...fields],
    evaluate(event) {
      try {
        return test(event);
      } catch {
        return false;
      }
    },
    evaluateDetailed(event) {
      try {
        return { matched: test(event) };
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

type Predicate = (event: FlatEvent) => boolean;
type ValueTest = (value: unknown) => boolean;

interface CompiledNode {
  test: Predicate;
  /** Whether evaluation can throw; lets and/or skip a side without changing the outcome. */
  canFail: boolean;
}

function compileNode(node: ConditionNode, source: string, fields: Set<string>): CompiledNode {
  switch (node.type) {
    case 'and': {
      const left = compileNode(node.left, source, fields);
      const right = compileNode(node.right, source, fields);
      const l = left.test;
      const r = right.test;
      const test: Predicate = right.canFail
        ? (event) => {
            const a = l(event);
            const b = r(event);
            return a && b;
          }
        : (event) => l(event) && r(event);
      return { test, canFail: left.canFail || right.canFail };
    }
    case 'or': {
      const left = compileNode(node.left, source, fields);
      const right = compileNode(node.right, source, fields);
      const l = left.test;
      const r = right.test;
      const test: Predicate = right.canFail
        ? (event) => {
            const a = l(event);
            const b = r(event);
            return a || b;
          }
        : (event) => l(event) || r(event);
      return { test, canFail: left.canFail || right.canFail };
    }
    case 'not': {
      const operand = compileNode(node.operand, source, fields);
      const inner = operand.test;
      return { test: (event) => !inner(event), canFail: operand.canFail };
    }
    default: {
      fields.add(node.path.text);
      return compileFieldCondition(node, source);
    }
  }
}

type FieldNode = Exclude<ConditionNode, { type: 'and' | 'or' | 'not' }>;

function compileFieldCondition(node: FieldNode, source: string): CompiledNode {
  const path = node.path;
  const isArrayPath = path.index !== undefined;
  if (node.type === 'exists' && !isArrayPath) {
    const key = new FlatKey(path.key);
    const negated = node.negated;
    return { test: (event) => event.exists(key) !== negated, canFail: false };
  }
  const { test: valueTest, canFail } = compileValueTest(node, source);
  if (!isArrayPath) {
    const key = new FlatKey(path.key);
    return { test: (event) => valueTest(event.lookup(key)), canFail };
  }
  return { test: compileArrayAccess(path, valueTest), canFail: true };
}

function compileValueTest(node: FieldNode, source: string): { test: ValueTest; canFail: boolean } {
  const fieldName = node.path.text;
  switch (node.type) {
    case 'compare': {
      const { literal, operator } = node;
      if (literal.kind === 'number') {
        const expected = literal.value;
        const holds = numberComparison(operator);
        return { test: (value) => value != null && holds(toGoFloat(value, fieldName), expected), canFail: true };
      }
      const expected = literal.value;
      if (operator === '=') return { test: (value) => value != null && goSprint(value) === expected, canFail: false };
      if (operator === '!=') return { test: (value) => value != null && goSprint(value) !== expected, canFail: false };
      const holds = orderHolds(operator);
      return { test: (value) => value != null && holds(compareGoStrings(goSprint(value), expected)), canFail: false };
    }
    case 'bool-compare': {
      const { value: expected, negated } = node;
      return {
        test: (value) => value != null && (toGoBool(value, fieldName) === expected) !== negated,
        canFail: true,
      };
    }
    case 'variable':
      return { test: (value) => value != null && toGoBool(value, fieldName), canFail: true };
    case 'contains': {
      const { text, negated } = node;
      return { test: (value) => value != null && goSprint(value).includes(text) !== negated, canFail: false };
    }
    case 'in': {
      const values = new Set(node.values);
      const negated = node.negated;
      return { test: (value) => value != null && values.has(goSprint(value)) !== negated, canFail: false };
    }
    case 'pattern': {
      const pattern = compilePattern(node, source);
      const negated = node.negated;
      return { test: (value) => value != null && pattern.test(goSprint(value)) !== negated, canFail: false };
    }
    case 'exists': {
      const negated = node.negated;
      return { test: (value) => (value != null) !== negated, canFail: false };
    }
  }
}

function compilePattern(node: Extract<FieldNode, { type: 'pattern' }>, source: string): RegExp {
  const goPattern = node.syntax === 'like' ? globToGoRegexp(node.pattern) : node.pattern;
  try {
    return compileGoRegexp(goPattern);
  } catch (error) {
    if (error instanceof GoRegexpError) throw new ConditionSyntaxError(source, node.offset, error.message);
    throw error;
  }
}

function numberComparison(operator: CompareOperator): (actual: number, expected: number) => boolean {
  switch (operator) {
    case '=':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '>':
      return (a, b) => a > b;
    case '<':
      return (a, b) => a < b;
    case '>=':
      return (a, b) => a >= b;
    case '<=':
      return (a, b) => a <= b;
  }
}

function orderHolds(operator: Exclude<CompareOperator, '=' | '!='>): (order: number) => boolean {
  switch (operator) {
    case '>':
      return (order) => order > 0;
    case '<':
      return (order) => order < 0;
    case '>=':
      return (order) => order >= 0;
    case '<=':
      return (order) => order <= 0;
  }
}

function toGoFloat(value: unknown, fieldName: string): number {
  // fmt.Sprint of a float64 parses back to the same float64, so numbers skip the round trip.
  if (typeof value === 'number') return value;
  const parsed = parseGoFloat(goSprint(value));
  if (parsed === undefined) throw new ConditionEvaluationError(`${fieldName} is ${describe(value)}, not a number`);
  return parsed;
}

function toGoBool(value: unknown, fieldName: string): boolean {
  if (typeof value === 'boolean') return value;
  const parsed = parseGoBool(goSprint(value));
  if (parsed === undefined) throw new ConditionEvaluationError(`${fieldName} is ${describe(value)}, not a boolean`);
  return parsed;
}

function describe(value: unknown): string {
  const text = goSprint(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return typeof value === 'string' ? JSON.stringify(shown) : shown;
}

interface Selection {
  items: readonly unknown[];
  /** `[n]` and `[a:b]` need every selected element to match; `[*]` needs one. */
  all: boolean;
}

function select(array: readonly unknown[], index: ArrayIndex, fieldName: string): Selection {
  switch (index.kind) {
    case 'any':
      return { items: array, all: false };
    case 'at':
      return { items: index.index < array.length ? [array[index.index]] : [], all: true };
    case 'slice': {
      const start = Math.min(index.start ?? 0, array.length);
      const end = Math.min(index.end ?? array.length, array.length);
      if (start > end) {
        throw new ConditionEvaluationError(`${fieldName}: slice [${index.start}:${index.end}] starts after it ends`);
      }
      return { items: array.slice(start, end), all: true };
    }
  }
}

function compileArrayAccess(path: FieldPath, test: ValueTest): Predicate {
  const { steps, text } = path;
  const arrayKey = new FlatKey(path.key);
  const index = path.index as ArrayIndex;
  // Whether a nested array lies ahead of step i: a broken chain before it selects no elements at all.
  const arrayAhead = steps.map((_, i) => steps.slice(i).some((step) => step.index !== undefined));

  const matchAll = (selection: Selection, from: number): boolean => {
    if (selection.items.length === 0) return false;
    for (const item of selection.items) {
      const matched = from === steps.length ? test(item) : matchStep(item, from);
      if (selection.all ? !matched : matched) return matched;
    }
    return selection.all;
  };

  const matchStep = (item: unknown, at: number): boolean => {
    if (item === null || item === undefined) return arrayAhead[at] ? false : test(undefined);
    if (typeof item !== 'object' || Array.isArray(item)) {
      throw new ConditionEvaluationError(`${text}: expected an object, found ${describe(item)}`);
    }
    const step = steps[at] as PathStep;
    const object = item as Record<string, unknown>;
    const key = findKey(object, step.key);
    const value = key === undefined ? undefined : object[key];
    if (step.index === undefined) return at + 1 === steps.length ? test(value) : matchStep(value, at + 1);
    if (value === null || value === undefined) return false;
    if (!Array.isArray(value)) {
      throw new ConditionEvaluationError(`${text}: '${step.key}' is ${describe(value)}, not an array`);
    }
    return matchAll(select(value, step.index, text), at + 1);
  };

  return (event) => {
    const array = event.lookup(arrayKey);
    if (array === null || array === undefined) return false;
    if (!Array.isArray(array)) {
      throw new ConditionEvaluationError(`${path.key} is ${describe(array)}, not an array`);
    }
    return matchAll(select(array, index, text), 0);
  };
}
