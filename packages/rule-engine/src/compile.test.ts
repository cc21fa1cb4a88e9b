import { describe, expect, test } from 'vitest';
import { compileCondition } from './compile.ts';
import { ConditionSyntaxError } from './condition-errors.ts';
import { flattenEvent } from './flatten.ts';

type Outcome = 'match' | 'no match' | 'error';

function outcome(condition: string, event: object): Outcome {
  const result = compileCondition(condition).evaluateDetailed(flattenEvent(event));
  if ('error' in result) return 'error';
  return result.matched ? 'match' : 'no match';
}

interface Case {
  name: string;
  condition: string;
  event: object;
  expected: Outcome;
}

const pod = {
  Verb: 'create',
  User: { username: 'alice', groups: ['system:authenticated', 'devs'] },
  ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1', Subresource: '' },
  ResponseStatus: { code: 201, metadata: {} },
  RequestReceivedTimestamp: '2024-05-01T08:00:00.123456Z',
  Annotations: { 'kubesphere.io/workspace': 'ws1', empty: null },
  RequestObject: {
    spec: {
      hostNetwork: false,
      replicas: 1_500_000,
      priority: '10',
      containers: [
        { name: 'app', ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }], stdin: true },
        { name: 'sidecar', stdin: false },
      ],
      tolerations: [],
    },
  },
};

describe('string comparisons use the Go text of the field', () => {
  test.each<Case>([
    { name: '= matches an equal string', condition: 'Verb = "create"', event: pod, expected: 'match' },
    { name: '== is the same as =', condition: 'Verb == "create"', event: pod, expected: 'match' },
    { name: '= does not match a different string', condition: 'Verb = "delete"', event: pod, expected: 'no match' },
    { name: '= is case-sensitive on the value', condition: 'Verb = "Create"', event: pod, expected: 'no match' },
    { name: '!= matches a different string', condition: 'Verb != "delete"', event: pod, expected: 'match' },
    { name: '!= does not match an equal string', condition: 'Verb != "create"', event: pod, expected: 'no match' },
    {
      name: '= compares a number by its Go text',
      condition: 'ResponseStatus.code = "201"',
      event: pod,
      expected: 'match',
    },
    {
      name: '= sees a large number as 1.5e+06',
      condition: 'RequestObject.spec.replicas = "1.5e+06"',
      event: pod,
      expected: 'match',
    },
    {
      name: '= compares a boolean by its text',
      condition: 'RequestObject.spec.hostNetwork = "false"',
      event: pod,
      expected: 'match',
    },
    {
      name: '= compares an array by its Go text',
      condition: 'User.groups = "[system:authenticated devs]"',
      event: pod,
      expected: 'match',
    },
    { name: '> orders strings lexicographically', condition: 'Verb > "common"', event: pod, expected: 'match' },
    { name: '< orders strings lexicographically', condition: 'Verb < "common"', event: pod, expected: 'no match' },
    { name: '>= holds for an equal string', condition: 'Verb >= "create"', event: pod, expected: 'match' },
    { name: '<= holds for an equal string', condition: 'Verb <= "create"', event: pod, expected: 'match' },
    {
      name: 'a timestamp compares as text',
      condition: 'RequestReceivedTimestamp >= "2024-05-01T00:00:00Z"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'a number compared with a string literal compares as text ("201" < "3")',
      condition: 'ResponseStatus.code < "3"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'an escaped quote in the literal is a quote',
      condition: 'm = "say \\"hi\\""',
      event: { m: 'say "hi"' },
      expected: 'match',
    },
  ])('$name', ({ condition, event, expected }) => {
    expect(outcome(condition, event)).toBe(expected);
  });
});

describe('number comparisons parse both sides as floats', () => {
  test.each<Case>([
    { name: '= matches an equal number', condition: 'ResponseStatus.code = 201', event: pod, expected: 'match' },
    {
      name: '= matches an equal number written with a fraction',
      condition: 'ResponseStatus.code = 201.0',
      event: pod,
      expected: 'match',
    },
    { name: '!= matches a different number', condition: 'ResponseStatus.code != 200', event: pod, expected: 'match' },
    {
      name: '> compares numerically, not as text',
      condition: 'ResponseStatus.code > 30',
      event: pod,
      expected: 'match',
    },
    { name: '< compares numerically', condition: 'ResponseStatus.code < 300', event: pod, expected: 'match' },
    { name: '>= holds for an equal number', condition: 'ResponseStatus.code >= 201', event: pod, expected: 'match' },
    { name: '<= holds for an equal number', condition: 'ResponseStatus.code <= 201', event: pod, expected: 'match' },
    { name: 'a negative literal compares', condition: 'ResponseStatus.code > -1', event: pod, expected: 'match' },
    {
      name: 'a numeric string field is parsed',
      condition: 'RequestObject.spec.priority > 9',
      event: pod,
      expected: 'match',
    },
    {
      name: 'a large number compares by value',
      condition: 'RequestObject.spec.replicas > 1000000',
      event: pod,
      expected: 'match',
    },
    {
      name: 'a boolean field compared with a number is an error',
      condition: 'RequestObject.spec.hostNetwork > 0',
      event: pod,
      expected: 'error',
    },
    { name: 'a text field compared with a number is an error', condition: 'Verb = 1', event: pod, expected: 'error' },
    {
      name: 'an empty string compared with a number is an error',
      condition: 'a > 0',
      event: { a: '' },
      expected: 'error',
    },
    {
      name: 'an array compared with a number is an error',
      condition: 'User.groups > 0',
      event: pod,
      expected: 'error',
    },
  ])('$name', ({ condition, event, expected }) => {
    expect(outcome(condition, event)).toBe(expected);
  });

  test('names the field and its value in the error', () => {
    const result = compileCondition('Verb > 1').evaluateDetailed(flattenEvent(pod));
    expect(result).toEqual({ error: 'Verb is "create", not a number' });
  });
});

describe('boolean comparisons and bare fields parse the field as a Go bool', () => {
  test.each<Case>([
    {
      name: '= true matches a true field',
      condition: 'RequestObject.spec.containers[0].stdin = true',
      event: pod,
      expected: 'match',
    },
    {
      name: '= false matches a false field',
      condition: 'RequestObject.spec.hostNetwork = false',
      event: pod,
      expected: 'match',
    },
    { name: '= True matches a true field', condition: 'b = True', event: { b: true }, expected: 'match' },
    {
      name: '!= true matches a false field',
      condition: 'RequestObject.spec.hostNetwork != true',
      event: pod,
      expected: 'match',
    },
    { name: '= true accepts Go bool text such as "1"', condition: 'b = true', event: { b: '1' }, expected: 'match' },
    { name: '= true accepts the number 1', condition: 'b = true', event: { b: 1 }, expected: 'match' },
    { name: '= true on a non-bool field is an error', condition: 'Verb = true', event: pod, expected: 'error' },
    { name: 'a bare true field matches', condition: 'b', event: { b: true }, expected: 'match' },
    { name: 'a bare false field does not match', condition: 'b', event: { b: false }, expected: 'no match' },
    { name: 'a bare "True" string field matches', condition: 'b', event: { b: 'True' }, expected: 'match' },
    { name: 'a bare non-bool field is an error', condition: 'Verb', event: pod, expected: 'error' },
    { name: 'not on a false field matches', condition: 'not b', event: { b: false }, expected: 'match' },
    { name: '! on a true field does not match', condition: '!b', event: { b: true }, expected: 'no match' },
  ])('$name', ({ condition, event, expected }) => {
    expect(outcome(condition, event)).toBe(expected);
  });
});

describe('contains, in, like and regex work on the Go text', () => {
  test.each<Case>([
    { name: 'contains finds a substring', condition: 'ObjectRef.Name contains "web"', event: pod, expected: 'match' },
    {
      name: 'contains misses a missing substring',
      condition: 'ObjectRef.Name contains "db"',
      event: pod,
      expected: 'no match',
    },
    {
      name: 'not contains matches without the substring',
      condition: 'ObjectRef.Name not contains "db"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'not contains fails with the substring',
      condition: 'ObjectRef.Name not contains "web"',
      event: pod,
      expected: 'no match',
    },
    {
      name: 'contains a number looks for its digits',
      condition: 'ResponseStatus.code contains 20',
      event: pod,
      expected: 'match',
    },
    {
      name: 'contains on an array searches its Go text',
      condition: 'User.groups contains "devs"',
      event: pod,
      expected: 'match',
    },
    { name: 'in matches a listed value', condition: 'Verb in ("get", "create")', event: pod, expected: 'match' },
    { name: 'in misses an unlisted value', condition: 'Verb in ("get", "list")', event: pod, expected: 'no match' },
    {
      name: 'not in matches an unlisted value',
      condition: 'Verb not in ("get", "list")',
      event: pod,
      expected: 'match',
    },
    { name: 'not in fails for a listed value', condition: 'Verb not in ("create")', event: pod, expected: 'no match' },
    {
      name: 'in with numbers compares the Go text',
      condition: 'ResponseStatus.code in (200, 201)',
      event: pod,
      expected: 'match',
    },
    {
      name: 'in with 201.0 does not match the text 201',
      condition: 'ResponseStatus.code in (201.0)',
      event: pod,
      expected: 'no match',
    },
    { name: 'like * matches any run', condition: 'ObjectRef.Name like "web-*"', event: pod, expected: 'match' },
    { name: 'like ? matches one character', condition: 'ObjectRef.Name like "we?-1"', event: pod, expected: 'match' },
    {
      name: 'like is unanchored, as in KubeSphere',
      condition: 'ObjectRef.Name like "eb"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'not like matches a different name',
      condition: 'ObjectRef.Name not like "db-*"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'not like fails for a matching name',
      condition: 'ObjectRef.Name not like "web*"',
      event: pod,
      expected: 'no match',
    },
    { name: 'regex matches unanchored', condition: 'User.username regex "lic"', event: pod, expected: 'match' },
    { name: 'regex honours anchors', condition: 'User.username regex "^lic"', event: pod, expected: 'no match' },
    {
      name: 'regex reads \\d without doubling the backslash',
      condition: 'ObjectRef.Name regex "-\\d$"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'not regex matches a non-matching value',
      condition: 'User.username not regex "^system:"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'not regex fails for a matching value',
      condition: 'User.username not regex "^ali"',
      event: pod,
      expected: 'no match',
    },
  ])('$name', ({ condition, event, expected }) => {
    expect(outcome(condition, event)).toBe(expected);
  });

  test('rejects an invalid regex when compiling, at the pattern', () => {
    expect(() => compileCondition('a regex "(x"')).toThrow(ConditionSyntaxError);
    try {
      compileCondition('a regex "(x"');
    } catch (error) {
      expect((error as ConditionSyntaxError).position.column).toBe(9);
      expect((error as ConditionSyntaxError).reason).toContain('missing closing )');
    }
  });
});

describe('exists checks presence, including of objects', () => {
  test.each<Case>([
    { name: 'exists matches a present field', condition: 'ObjectRef.Name exists', event: pod, expected: 'match' },
    {
      name: 'exists matches an empty string',
      condition: 'ObjectRef.Subresource exists',
      event: pod,
      expected: 'match',
    },
    {
      name: 'exists matches an object with values below it',
      condition: 'RequestObject exists',
      event: pod,
      expected: 'match',
    },
    {
      name: 'exists matches an empty array',
      condition: 'RequestObject.spec.tolerations exists',
      event: pod,
      expected: 'match',
    },
    {
      name: 'exists fails for an empty object',
      condition: 'ResponseStatus.metadata exists',
      event: pod,
      expected: 'no match',
    },
    { name: 'exists fails for a null field', condition: 'Annotations.empty exists', event: pod, expected: 'no match' },
    { name: 'exists fails for a missing field', condition: 'ResponseObject exists', event: pod, expected: 'no match' },
    {
      name: 'exists matches a prefix of a dotted key',
      condition: 'Annotations.kubesphere exists',
      event: pod,
      expected: 'match',
    },
    {
      name: 'not exists matches a missing field',
      condition: 'ResponseObject not exists',
      event: pod,
      expected: 'match',
    },
    {
      name: 'not exists matches a null field',
      condition: 'Annotations.empty not exists',
      event: pod,
      expected: 'match',
    },
    { name: 'not exists fails for a present field', condition: 'Verb not exists', event: pod, expected: 'no match' },
  ])('$name', ({ condition, event, expected }) => {
    expect(outcome(condition, event)).toBe(expected);
  });
});

describe('a missing or null field makes every comparison false, even negated ones', () => {
  const conditions = [
    'Missing = "x"',
    'Missing != "x"',
    'Missing > "x"',
    'Missing = 1',
    'Missing != 1',
    'Missing < 1',
    'Missing = true',
    'Missing != true',
    'Missing contains "x"',
    'Missing not contains "x"',
    'Missing in ("x")',
    'Missing not in ("x")',
    'Missing like "x*"',
    'Missing not like "x*"',
    'Missing regex "x"',
    'Missing not regex "x"',
    'Missing exists',
    'Missing',
  ];
  test.each(
    conditions.flatMap((condition) => [
      { name: `${condition} is false for a missing field`, condition, event: {} },
      { name: `${condition} is false for a null field`, condition, event: { Missing: null } },
    ]),
  )('$name', ({ condition, event }) => {
    expect(outcome(condition, event)).toBe('no match');
  });

  test.each<Case>([
    { name: 'not before a comparison negates its false', condition: 'not Missing = "x"', event: {}, expected: 'match' },
    { name: 'not before a bare missing field matches', condition: 'not Missing', event: {}, expected: 'match' },
  ])('$name', ({ condition, event, expected }) => {
    expect(outcome(condition, event)).toBe(expected);
  });
});

describe('and, or and not', () => {
  test.each<Case>([
    {
      name: 'and needs both sides',
      condition: 'Verb = "create" and ObjectRef.Resource = "pods"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'and fails with one side false',
      condition: 'Verb = "create" and ObjectRef.Resource = "services"',
      event: pod,
      expected: 'no match',
    },
    {
      name: 'or needs one side',
      condition: 'Verb = "delete" or ObjectRef.Resource = "pods"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'or fails with both sides false',
      condition: 'Verb = "delete" or ObjectRef.Resource = "services"',
      event: pod,
      expected: 'no match',
    },
    {
      name: 'or with equal precedence groups left: (true or x) and false',
      condition: 'Verb = "create" or Verb = "x" and Verb = "y"',
      event: pod,
      expected: 'no match',
    },
    {
      name: 'not spans the chain: not (false and true) matches',
      condition: 'not Verb = "x" and Verb = "create"',
      event: pod,
      expected: 'match',
    },
    {
      name: 'parenthesised not negates one term: (not false) and false',
      condition: '(not Verb = "x") and Verb = "y"',
      event: pod,
      expected: 'no match',
    },
    {
      name: 'an error on the right of or wins over a true left side',
      condition: 'Verb = "create" or Verb > 1',
      event: pod,
      expected: 'error',
    },
    {
      name: 'an error on the right of and wins over a false left side',
      condition: 'Verb = "x" and Verb > 1',
      event: pod,
      expected: 'error',
    },
    {
      name: 'an error on the left of and is an error',
      condition: 'Verb > 1 and Verb = "x"',
      event: pod,
      expected: 'error',
    },
    { name: 'not of an error is an error', condition: 'not Verb > 1', event: pod, expected: 'error' },
  ])('$name', ({ condition, event, expected }) => {
    expect(outcome(condition, event)).toBe(expected);
  });

  test('evaluate turns an evaluation error into no match', () => {
    expect(compileCondition('Verb = "create" or Verb > 1').evaluate(flattenEvent(pod))).toBe(false);
  });
});

describe('array paths', () => {
  const event = {
    spec: {
      containers: [
        { name: 'app', ports: [{ hostPort: 0 }, { hostPort: 8080 }], privileged: false },
        { name: 'sidecar', ports: [], privileged: true },
        { name: 'init' },
      ],
      names: ['a', 'b'],
      empty: [],
      notArray: 'x',
      mixed: [{ a: 1 }, 'text'],
      nested: [{ inner: 'x' }],
    },
  };
  test.each<Case>([
    {
      name: '[*] matches when any element matches',
      condition: 'spec.containers[*].name = "sidecar"',
      event,
      expected: 'match',
    },
    {
      name: '[*] fails when no element matches',
      condition: 'spec.containers[*].name = "db"',
      event,
      expected: 'no match',
    },
    { name: '[n] tests that element only', condition: 'spec.containers[1].name = "sidecar"', event, expected: 'match' },
    {
      name: '[n] fails when that element does not match',
      condition: 'spec.containers[0].name = "sidecar"',
      event,
      expected: 'no match',
    },
    { name: '[n] out of range is false', condition: 'spec.containers[9].name exists', event, expected: 'no match' },
    {
      name: '[a:b] needs every element of the slice',
      condition: 'spec.containers[0:2].name != "init"',
      event,
      expected: 'match',
    },
    {
      name: '[a:b] fails when one element of the slice fails',
      condition: 'spec.containers[0:3].name != "init"',
      event,
      expected: 'no match',
    },
    { name: '[a:] runs to the end', condition: 'spec.containers[2:].name = "init"', event, expected: 'match' },
    { name: '[:b] starts at the beginning', condition: 'spec.containers[:1].name = "app"', event, expected: 'match' },
    { name: '[:] is every element', condition: 'spec.containers[:].name exists', event, expected: 'match' },
    {
      name: 'a slice beyond the end is clamped',
      condition: 'spec.containers[1:99].name != "app"',
      event,
      expected: 'match',
    },
    {
      name: 'a slice that starts after its end is an error',
      condition: 'spec.containers[2:1].name exists',
      event,
      expected: 'error',
    },
    {
      name: 'nested [*][*] finds a host port in any container',
      condition: 'spec.containers[*].ports[*].hostPort > 0',
      event,
      expected: 'match',
    },
    {
      name: 'nested [*][n] looks at one port per container',
      condition: 'spec.containers[*].ports[0].hostPort > 0',
      event,
      expected: 'no match',
    },
    {
      name: 'a container without ports does not stop the search',
      condition: 'spec.containers[*].ports[*].hostPort = 8080',
      event: { spec: { containers: [{ name: 'init' }, { ports: [{ hostPort: 8080 }] }] } },
      expected: 'match',
    },
    {
      name: 'an empty nested array does not stop the search',
      condition: 'spec.containers[*].ports[*].hostPort = 8080',
      event: { spec: { containers: [{ ports: [] }, { ports: [{ hostPort: 8080 }] }] } },
      expected: 'match',
    },
    {
      name: 'a key missing from an element makes that element not match',
      condition: 'spec.containers[*].privileged = true',
      event,
      expected: 'match',
    },
    {
      name: 'not exists inside elements is true for an element without the key',
      condition: 'spec.containers[2].ports not exists',
      event,
      expected: 'match',
    },
    {
      name: 'a bare bool path tests each element',
      condition: 'spec.containers[*].privileged',
      event,
      expected: 'match',
    },
    {
      name: 'a bare bool path with [n] tests that element',
      condition: 'spec.containers[0].privileged',
      event,
      expected: 'no match',
    },
    {
      name: 'contains on a path ending in [*] tests elements',
      condition: 'spec.names[*] contains "b"',
      event,
      expected: 'match',
    },
    {
      name: 'not contains on a path ending in [*] needs one element without it',
      condition: 'spec.names[*] not contains "a"',
      event,
      expected: 'match',
    },
    {
      name: 'contains on a path ending in [n] tests that element',
      condition: 'spec.names[0] contains "b"',
      event,
      expected: 'no match',
    },
    {
      name: 'contains on elements ending in [*] after a step',
      condition: 'spec.nested[*].inner contains "x"',
      event,
      expected: 'match',
    },
    { name: 'an empty array is false', condition: 'spec.empty[*].a exists', event, expected: 'no match' },
    { name: 'a missing array is false', condition: 'spec.none[*].a exists', event, expected: 'no match' },
    { name: 'a non-array value is an error', condition: 'spec.notArray[*].a exists', event, expected: 'error' },
    { name: 'a non-object element is an error', condition: 'spec.mixed[*].a > 5', event, expected: 'error' },
    {
      name: 'an error after a match in [*] is not reached',
      condition: 'spec.mixed[*].a = 1',
      event,
      expected: 'match',
    },
    {
      name: 'a nested value that is not an array is an error',
      condition: 'spec.containers[*].name[*] contains "a"',
      event,
      expected: 'error',
    },
    {
      name: 'a non-numeric element compared with a number is an error',
      condition: 'spec.containers[*].name > 1',
      event,
      expected: 'error',
    },
  ])('$name', ({ condition, event, expected }) => {
    expect(outcome(condition, event)).toBe(expected);
  });
});

describe('compileCondition', () => {
  test('lists the fields a condition reads, once each', () => {
    expect(compileCondition('a = "x" and (b.c > 1 or a exists) and d[*].e contains "f"').fields).toEqual([
      'a',
      'b.c',
      'd[*].e',
    ]);
  });

  test('keeps the source text', () => {
    expect(compileCondition('Verb = "get"').source).toBe('Verb = "get"');
  });

  test('reuses one compiled condition across events', () => {
    const condition = compileCondition('Verb in ("create", "delete")');
    const verbs = ['create', 'get', 'delete'].map((Verb) => condition.evaluate(flattenEvent({ Verb })));
    expect(verbs).toEqual([true, false, true]);
  });
});
