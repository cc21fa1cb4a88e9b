import { describe, expect, test } from 'vitest';
import { cleanSpec, formFieldOfCause, setSpecInYaml } from './webhook-draft.ts';

const storedYaml = `apiVersion: auditing.kubesphere.io/v1alpha1
kind: Webhook
metadata:
  name: kube-auditing-webhook
  resourceVersion: "42"
spec:
  # set by ks-installer
  replicas: 2
  nodeSelector: {}
  auditLevel: Metadata
`;

describe('setSpecInYaml', () => {
  test('a form change rewrites that field only; comments, order and empty maps stay', () => {
    const edited = setSpecInYaml(storedYaml, { replicas: 2, nodeSelector: {}, auditLevel: 'Request' });
    expect(edited).toBe(storedYaml.replace('auditLevel: Metadata', 'auditLevel: Request'));
  });

  test('what an untouched form leaves behind (undefined selectors, empty optional strings) writes nothing', () => {
    const values = {
      replicas: 2,
      nodeSelector: {},
      auditLevel: 'Metadata' as const,
      auditSinkPolicy: {
        archivingRuleSelector: { matchLabels: undefined },
        alertingRuleSelector: { matchLabels: undefined },
      },
      image: '',
    };
    expect(setSpecInYaml(storedYaml, values)).toBe(storedYaml);
  });

  test('text that does not parse is left as the user typed it', () => {
    expect(setSpecInYaml('spec: [unclosed', { auditLevel: 'None' })).toBe('spec: [unclosed');
  });
});

describe('cleanSpec', () => {
  test.each([
    {
      name: 'drops an object that only held undefined',
      value: { a: { b: undefined }, name: 'x' },
      expected: { name: 'x' },
    },
    {
      name: 'keeps an object that was empty to begin with',
      value: { nodeSelector: {} },
      expected: { nodeSelector: {} },
    },
    { name: 'drops empty strings and NaN', value: { url: '', port: Number.NaN, name: 'x' }, expected: { name: 'x' } },
  ])('$name', ({ value, expected }) => {
    expect(cleanSpec(value)).toEqual(expected);
  });
});

describe('formFieldOfCause', () => {
  test.each([
    { field: 'spec.receivers[0].config.url', expected: 'receivers.0.config.url' },
    { field: 'spec.auditLevel', expected: 'auditLevel' },
    { field: undefined, expected: undefined },
  ])('$field → $expected', ({ field, expected }) => {
    expect(formFieldOfCause(field)).toBe(expected);
  });
});
