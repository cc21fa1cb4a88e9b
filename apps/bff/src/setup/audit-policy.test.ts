import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { auditPolicy, auditPolicyYaml, policyPresets } from './audit-policy.ts';
import { auditPolicySchema } from './audit-policy-schema.ts';
import { decideLevel, type RequestAttributes } from './policy-match.ts';

describe.each(policyPresets)('the %s preset', (preset) => {
  test('passes the checks kube-apiserver applies when it loads --audit-policy-file', () => {
    expect(auditPolicySchema.safeParse(auditPolicy(preset)).success).toBe(true);
  });

  test('the file, comments and all, parses back to the same policy', () => {
    const text = auditPolicyYaml(preset);
    expect(text).toContain(`preset "${preset}"`);
    expect(parse(text)).toEqual(auditPolicy(preset));
  });
});

const kubeProxyWatch: RequestAttributes = {
  user: 'system:kube-proxy',
  verb: 'watch',
  group: 'discovery.k8s.io',
  resource: 'endpointslices',
};

describe('what the recommended policy records (first matching rule wins)', () => {
  const recommended = auditPolicy('recommended');
  test.each<{ name: string; request: RequestAttributes; level: string }>([
    { name: "kube-proxy's watches are dropped", request: kubeProxyWatch, level: 'None' },
    {
      name: 'lease renewals are dropped',
      request: { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' },
      level: 'None',
    },
    { name: 'health checks are dropped', request: { verb: 'get', path: '/readyz' }, level: 'None' },
    {
      name: 'a Secret is recorded without its content',
      request: { verb: 'create', group: '', resource: 'secrets', namespace: 'demo' },
      level: 'Metadata',
    },
    {
      name: 'a Pod creation keeps its body, which the shipped alerting rules read',
      request: { verb: 'create', group: '', resource: 'pods', namespace: 'demo' },
      level: 'Request',
    },
    {
      name: 'a change to the Webhook keeps the object before and after',
      request: { verb: 'update', group: 'auditing.kubesphere.io', resource: 'webhooks', name: 'kube-auditing-webhook' },
      level: 'RequestResponse',
    },
    {
      name: 'reads are recorded as who read what',
      request: { verb: 'list', group: 'apps', resource: 'deployments', namespace: 'demo' },
      level: 'Metadata',
    },
    {
      name: 'exec is recorded',
      request: { verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: 'demo' },
      level: 'Request',
    },
  ])('$name', ({ request, level }) => {
    expect(decideLevel(recommended, request).level).toBe(level);
  });

  test('RequestReceived is omitted for every request', () => {
    expect(decideLevel(recommended, { verb: 'get', group: '', resource: 'pods' }).omitStages).toEqual([
      'RequestReceived',
    ]);
  });
});

describe('auditPolicySchema', () => {
  test.each([
    {
      name: 'a group with a version',
      rule: { level: 'Metadata', resources: [{ group: 'apps/v1' }] },
      message: 'group must be an API group name without a version',
    },
    {
      name: 'a wildcard in the middle of a URL',
      rule: { level: 'None', nonResourceURLs: ['/api/*/x'] },
      message: "non-resource URL wildcards ('*') must be the final character",
    },
    {
      name: 'resources and non-resource URLs in one rule',
      rule: { level: 'None', resources: [{ group: '' }], nonResourceURLs: ['/healthz'] },
      message: 'rules cannot apply to both regular resources and non-resource URLs',
    },
    { name: 'an unknown level', rule: { level: 'Everything' }, message: 'Invalid option' },
  ])('refuses $name', ({ rule, message }) => {
    const result = auditPolicySchema.safeParse({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [rule] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join('\n')).toContain(message);
  });
});
