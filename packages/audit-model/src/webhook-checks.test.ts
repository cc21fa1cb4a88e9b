import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { RuleResource } from './rule.ts';
import { findWebhookProblems, selectorSelection, type WebhookProblemCode } from './webhook-checks.ts';

/** The two Rule CRs KubeSphere 3.4.1 ships (ks-installer templates/rules.yaml), as the local cluster seeds them. */
const shippedRules = parseAllDocuments(
  readFileSync(join(import.meta.dirname, '../../local-cluster/seed/kube-auditing/rules.yaml'), 'utf8'),
)
  .map((document) => document.toJS() as RuleResource | null)
  .filter((rule): rule is RuleResource => rule !== null);

const alertmanager = {
  name: 'alert',
  type: 'alertmanager',
  config: { service: { namespace: 'kubesphere-monitoring-system', name: 'alertmanager-main', port: 9093 } },
};

const codes = (spec: unknown): WebhookProblemCode[] =>
  findWebhookProblems(spec, shippedRules).map((problem) => problem.code);

describe('findWebhookProblems', () => {
  test('the shipped rules read RequestObject, which a Metadata level never carries', () => {
    const problems = findWebhookProblems({ auditLevel: 'Metadata', receivers: [alertmanager] }, shippedRules);
    const levelProblems = problems.filter((problem) => problem.code === 'rule-never-fires-at-level');
    expect(levelProblems.map((problem) => problem.rule?.item)).toEqual([
      'CreateHostnetworkPod',
      'CreateHostportPod',
      'CreateNodeportService',
    ]);
    expect(levelProblems.every((problem) => problem.field === 'spec.auditLevel')).toBe(true);
  });

  test.each([
    { name: 'Request is enough for RequestObject', spec: { auditLevel: 'Request' }, expected: [] },
    {
      name: "the docs' type: persistence selector matches nothing",
      spec: {
        auditLevel: 'Request',
        auditSinkPolicy: { archivingRuleSelector: { matchLabels: { type: 'persistence' } } },
      },
      expected: ['archiving-selector-matches-nothing'],
    },
    {
      name: 'an alerting threshold above every rule passes nothing',
      spec: {
        auditLevel: 'Request',
        auditSinkPolicy: { alertingRuleSelector: { matchLabels: { type: 'archiving' } } },
      },
      expected: ['alerting-priority-passes-nothing'],
    },
    {
      name: 'an archiving threshold of INFO passes no rule of the DEBUG archiving rule',
      spec: { auditLevel: 'Request', archivingPriority: 'INFO' },
      expected: ['archiving-priority-passes-nothing'],
    },
    {
      name: 'a receiver with both url and service',
      spec: {
        auditLevel: 'Request',
        receivers: [{ ...alertmanager, config: { ...alertmanager.config, url: 'http://am:9093' } }],
      },
      expected: ['receiver-needs-one-target'],
    },
    {
      name: 'a receiver with neither url nor service',
      spec: { auditLevel: 'Request', receivers: [{ name: 'empty', type: 'webhook', config: {} }] },
      expected: ['receiver-needs-one-target'],
    },
  ])('$name', ({ spec, expected }) => {
    expect(codes(spec)).toEqual(expected);
  });

  test('the persistence trap says where the wrong label comes from', () => {
    const [problem] = findWebhookProblems(
      { auditLevel: 'Request', auditSinkPolicy: { archivingRuleSelector: { matchLabels: { type: 'persistence' } } } },
      shippedRules,
    );
    expect(problem?.field).toBe('spec.auditSinkPolicy.archivingRuleSelector');
    expect(problem?.message).toContain("KubeSphere's docs");
  });

  test('without the Rules, the rule checks are reported as skipped and the receiver check still runs', () => {
    const problems = findWebhookProblems({ receivers: [{ name: 'x', type: 'webhook', config: {} }] }, undefined);
    expect(problems.map((problem) => problem.code)).toEqual(['receiver-needs-one-target', 'rules-unreadable']);
  });
});

describe('selectorSelection', () => {
  test('an empty selector means the default label, as the receiver reads it', () => {
    const selection = selectorSelection('archiving', {}, shippedRules);
    expect(selection.usesDefault).toBe(true);
    expect(selection.effectiveLabels).toEqual({ type: 'archiving' });
    expect(selection.matchedRules).toEqual(['archiving-rule']);
    expect(selection.passingItems).toBe(1);
  });
});
