import { describe, expect, test } from 'vitest';
import { ConditionSyntaxError } from './condition-errors.ts';
import { type ConditionNode, parseCondition } from './parser.ts';

// Renders the tree with explicit parentheses so a test states the grouping it expects.
function show(node: ConditionNode): string {
  switch (node.type) {
    case 'and':
    case 'or':
      return `(${show(node.left)} ${node.type} ${show(node.right)})`;
    case 'not':
      return `(not ${show(node.operand)})`;
    case 'compare':
      return `${node.path.text} ${node.operator} ${node.literal.kind === 'string' ? JSON.stringify(node.literal.value) : node.literal.text}`;
    case 'bool-compare':
      return `${node.path.text} ${node.negated ? '!=' : '='} ${node.value}`;
    case 'contains':
      return `${node.path.text} ${node.negated ? 'not contains' : 'contains'} ${JSON.stringify(node.text)}`;
    case 'in':
      return `${node.path.text} ${node.negated ? 'not in' : 'in'} ${JSON.stringify(node.values)}`;
    case 'pattern':
      return `${node.path.text} ${node.negated ? 'not ' : ''}${node.syntax} ${JSON.stringify(node.pattern)}`;
    case 'exists':
      return `${node.path.text} ${node.negated ? 'not exists' : 'exists'}`;
    case 'variable':
      return node.path.text;
  }
}

describe('parseCondition groups as ANTLR parses EventRule.g4', () => {
  test.each([
    { name: 'and/or associate to the left', source: 'a and b or c', expected: '((a and b) or c)' },
    {
      name: 'or does not bind looser than and (equal precedence)',
      source: 'a or b and c',
      expected: '((a or b) and c)',
    },
    { name: 'a long chain nests to the left', source: 'a or b or c and d', expected: '(((a or b) or c) and d)' },
    { name: 'parentheses group', source: 'a or (b and c)', expected: '(a or (b and c))' },
    { name: 'not takes the whole chain to its right', source: 'not a and b', expected: '(not (a and b))' },
    {
      name: 'not after and takes the rest of the chain',
      source: 'x and not a or b',
      expected: '(x and (not (a or b)))',
    },
    { name: 'not stops at a closing parenthesis', source: '(not a) and b', expected: '((not a) and b)' },
    { name: '! is not', source: '!a or b', expected: '(not (a or b))' },
    { name: 'not applies to a comparison', source: 'not Verb = "get"', expected: '(not Verb = "get")' },
    { name: 'double negation nests', source: 'not not a', expected: '(not (not a))' },
    { name: 'redundant parentheses disappear', source: '((a))', expected: 'a' },
  ])('$name', ({ source, expected }) => {
    expect(show(parseCondition(source))).toBe(expected);
  });
});

describe('parseCondition reads each form', () => {
  test.each([
    { name: 'string equality', source: 'Verb = "create"', expected: 'Verb = "create"' },
    { name: 'double-equals equality', source: 'Verb == "create"', expected: 'Verb = "create"' },
    { name: 'number comparison', source: 'ResponseStatus.code >= 400', expected: 'ResponseStatus.code >= 400' },
    { name: 'string ordering', source: 'StageTimestamp < "2024"', expected: 'StageTimestamp < "2024"' },
    {
      name: 'boolean comparison',
      source: 'RequestObject.spec.hostNetwork = True',
      expected: 'RequestObject.spec.hostNetwork = true',
    },
    { name: 'boolean inequality', source: 'a != FALSE', expected: 'a != false' },
    { name: 'contains a string', source: 'RequestURI contains "/exec"', expected: 'RequestURI contains "/exec"' },
    {
      name: 'contains a number, as text',
      source: 'SourceIPs not contains 10',
      expected: 'SourceIPs not contains "10"',
    },
    { name: 'in with strings and numbers', source: 'code in (200, "201")', expected: 'code in ["200","201"]' },
    { name: 'not in a one-item list', source: 'Verb not in ("get")', expected: 'Verb not in ["get"]' },
    { name: 'like', source: 'ObjectRef.Name like "web-*"', expected: 'ObjectRef.Name like "web-*"' },
    { name: 'not regex', source: 'User.username not regex "^system:"', expected: 'User.username not regex "^system:"' },
    { name: 'exists', source: 'RequestObject exists', expected: 'RequestObject exists' },
    { name: 'not exists', source: 'Annotations not exists', expected: 'Annotations not exists' },
    { name: 'a bare field', source: 'RequestObject.spec.hostPID', expected: 'RequestObject.spec.hostPID' },
    {
      name: 'an array path with contains',
      source: 'User.groups[*] contains "admin"',
      expected: 'User.groups[*] contains "admin"',
    },
    { name: 'an array path into elements', source: 'a[0:2].b > 1', expected: 'a[0:2].b > 1' },
  ])('$name', ({ source, expected }) => {
    expect(show(parseCondition(source))).toBe(expected);
  });

  test('splits an array path into the array key and the steps inside elements', () => {
    const node = parseCondition('RequestObject.spec.containers[*].ports[1:].hostPort > 0');
    expect(node).toMatchObject({
      type: 'compare',
      path: {
        key: 'RequestObject.spec.containers',
        index: { kind: 'any' },
        steps: [{ key: 'ports', index: { kind: 'slice', start: 1, end: undefined } }, { key: 'hostPort' }],
        endsWithIndex: false,
      },
    });
  });
});

describe('parseCondition reports syntax errors with their position', () => {
  test.each([
    { name: 'an empty condition', source: '', line: 1, column: 1, reason: 'the condition is empty' },
    {
      name: 'a missing value after an operator',
      source: 'Verb = ',
      line: 1,
      column: 8,
      reason: "expected a string, number or boolean after '=', found the end of the condition",
    },
    {
      name: 'a boolean after an ordering operator',
      source: 'a > true',
      line: 1,
      column: 5,
      reason: "expected a string or number after '>', found the keyword 'true'",
    },
    {
      name: 'a field where a value belongs',
      source: 'Verb = create',
      line: 1,
      column: 8,
      reason: "expected a string, number or boolean after '=', found the field 'create'",
    },
    {
      name: 'a missing operator between two conditions',
      source: 'a = "x" b = "y"',
      line: 1,
      column: 9,
      reason: "expected 'and', 'or' or the end of the condition, found the field 'b'",
    },
    {
      name: 'an unclosed parenthesis, naming where it opened',
      source: '(a = "x"\nand b = "y"',
      line: 2,
      column: 12,
      reason: "expected ')' to close the '(' at 1:1, found the end of the condition",
    },
    {
      name: 'a stray closing parenthesis',
      source: 'a = "x")',
      line: 1,
      column: 8,
      reason: 'found \')\' (no matching "(")',
    },
    {
      name: 'an in without a list',
      source: 'Verb in "get"',
      line: 1,
      column: 9,
      reason: "expected '(' after 'in', found the string \"get\"",
    },
    {
      name: 'an empty in list',
      source: 'Verb in ()',
      line: 1,
      column: 10,
      reason: "expected a string or number after 'in ('",
    },
    {
      name: 'a trailing comma in a list',
      source: 'Verb in ("a",)',
      line: 1,
      column: 14,
      reason: "expected a string or number after ','",
    },
    {
      name: 'a missing comma in a list',
      source: 'Verb in ("a" "b")',
      line: 1,
      column: 14,
      reason: "expected ',' or ')' in the 'in' list",
    },
    {
      name: 'a number after like',
      source: 'a like 5',
      line: 1,
      column: 8,
      reason: "expected a string after 'like', found the number 5",
    },
    {
      name: 'a not with nothing after it',
      source: 'a and not',
      line: 1,
      column: 10,
      reason: "expected a condition after 'not'",
    },
    {
      name: 'an operator with no field',
      source: '= "x"',
      line: 1,
      column: 1,
      reason: "expected a condition (a field name, 'not' or '('), found '='",
    },
    { name: 'a dangling and', source: 'a and', line: 1, column: 6, reason: 'expected a condition' },
    {
      name: 'an array path ending in an index used with =',
      source: 'User.groups[*] = "a"',
      line: 1,
      column: 1,
      reason:
        "'User.groups[*]' ends with an array index, which KubeSphere only allows with 'contains' or 'not contains'",
    },
    {
      name: 'an array path ending in an index used alone',
      source: 'a[0]',
      line: 1,
      column: 1,
      reason: 'ends with an array index',
    },
    {
      name: 'an index beyond safe integers',
      source: 'a[99999999999999999999].b = 1',
      line: 1,
      column: 1,
      reason: 'is too large',
    },
  ])('rejects $name', ({ source, line, column, reason }) => {
    let thrown: unknown;
    try {
      parseCondition(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConditionSyntaxError);
    const error = thrown as ConditionSyntaxError;
    expect(error.position).toMatchObject({ line, column });
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`${error.reason} (at ${line}:${column})`);
  });
});
