import { describe, expect, test } from 'vitest';
import { FlatEvent, flattenEvent } from './flatten.ts';

const event = {
  Verb: 'create',
  User: { username: 'alice', groups: ['devs'] },
  ObjectRef: { Resource: 'pods', Name: 'web-1' },
  ResponseStatus: { code: 201, status: 'Success', metadata: {} },
  Annotations: { 'kubesphere.io/workspace': 'ws1', 'authorization.k8s.io/decision': 'allow' },
  ImpersonatedUser: null,
  RequestObject: '{"spec":{"hostNetwork":true,"containers":[{"name":"app"}]}}',
  ResponseObject: '',
};

describe('FlatEvent.get', () => {
  test.each([
    { name: 'reads a top-level field', key: 'Verb', expected: 'create' },
    { name: 'reads a nested field by its dotted key', key: 'ObjectRef.Resource', expected: 'pods' },
    { name: 'reads a number as a number', key: 'ResponseStatus.code', expected: 201 },
    { name: 'keeps an array whole', key: 'User.groups', expected: ['devs'] },
    { name: 'reads a key that itself contains dots', key: 'Annotations.kubesphere.io/workspace', expected: 'ws1' },
    { name: 'returns null for a JSON null', key: 'ImpersonatedUser', expected: null },
    { name: 'returns undefined for a missing key', key: 'ObjectRef.Namespace', expected: undefined },
    { name: 'returns undefined for an object, which is not a flat key', key: 'ObjectRef', expected: undefined },
    { name: 'returns undefined for an empty object', key: 'ResponseStatus.metadata', expected: undefined },
    { name: 'returns undefined past a leaf', key: 'Verb.length', expected: undefined },
    { name: 'falls back to a case-insensitive match: User.Username', key: 'User.Username', expected: 'alice' },
    {
      name: 'falls back to a case-insensitive match: ResponseStatus.Status',
      key: 'ResponseStatus.Status',
      expected: 'Success',
    },
    { name: 'matches case-insensitively at every level', key: 'objectref.name', expected: 'web-1' },
    { name: 'parses RequestObject given as raw JSON', key: 'RequestObject.spec.hostNetwork', expected: true },
    {
      name: 'keeps arrays of parsed raw JSON whole',
      key: 'RequestObject.spec.containers',
      expected: [{ name: 'app' }],
    },
    { name: 'treats an empty raw ResponseObject as absent', key: 'ResponseObject', expected: undefined },
  ])('$name', ({ key, expected }) => {
    expect(flattenEvent(event).get(key)).toEqual(expected);
  });

  test('prefers an exact key over a case-insensitive one', () => {
    expect(flattenEvent({ User: { username: 'json-tag', Username: 'go-field' } }).get('User.Username')).toBe(
      'go-field',
    );
  });

  test('reads RequestObject given as an object the same way', () => {
    expect(flattenEvent({ RequestObject: { spec: { hostNetwork: true } } }).get('RequestObject.spec.hostNetwork')).toBe(
      true,
    );
  });

  test('keeps a raw RequestObject that is not JSON as text', () => {
    expect(flattenEvent({ RequestObject: 'not json' }).get('RequestObject')).toBe('not json');
  });
});

describe('FlatEvent.exists', () => {
  test.each([
    { name: 'is true for a leaf with a value', key: 'Verb', expected: true },
    { name: 'is true for an object with a value below it', key: 'ObjectRef', expected: true },
    { name: 'is true for raw JSON with values', key: 'RequestObject.spec', expected: true },
    { name: 'is false for an empty object', key: 'ResponseStatus.metadata', expected: false },
    { name: 'is false for a null', key: 'ImpersonatedUser', expected: false },
    { name: 'is false for a missing key', key: 'Devops', expected: false },
    { name: 'is true for a prefix of a dotted key', key: 'Annotations.authorization', expected: true },
    { name: 'is true ignoring case', key: 'objectref.resource', expected: true },
  ])('$name', ({ key, expected }) => {
    expect(flattenEvent(event).exists(key)).toBe(expected);
  });
});

describe('FlatEvent.toMap', () => {
  test('lists every leaf under its dotted key, with arrays kept whole', () => {
    expect(Object.fromEntries(flattenEvent(event).toMap())).toEqual({
      Verb: 'create',
      'User.username': 'alice',
      'User.groups': ['devs'],
      'ObjectRef.Resource': 'pods',
      'ObjectRef.Name': 'web-1',
      'ResponseStatus.code': 201,
      'ResponseStatus.status': 'Success',
      'Annotations.kubesphere.io/workspace': 'ws1',
      'Annotations.authorization.k8s.io/decision': 'allow',
      ImpersonatedUser: null,
      'RequestObject.spec.hostNetwork': true,
      'RequestObject.spec.containers': [{ name: 'app' }],
    });
  });
});

describe('flattenEvent', () => {
  test('returns an already flattened event as is', () => {
    const flat = new FlatEvent({ Verb: 'get' });
    expect(flattenEvent(flat)).toBe(flat);
  });
});
