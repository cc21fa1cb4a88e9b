// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is KubeSphere's reference syntax in rule text, not a template literal.
import { describe, expect, test } from 'vitest';
import { flattenEvent } from './flatten.ts';
import type { LabelSelector } from './label-selector.ts';
import { type LoadedRule, loadRules, type RuleLoadError } from './rule-loader.ts';
import type { PolicyRuleItem, RuleCR, WebhookRuleSettings } from './rule-types.ts';
import {
  alertingRule,
  archivingRule,
  shippedRuleCRs,
  shippedWebhookSettings,
} from './testdata/kubesphere-v3.4-rules.ts';

function flags(rules: readonly LoadedRule[]): Record<string, string> {
  return Object.fromEntries(
    rules.map((rule) => [rule.id, `${rule.archiving ? 'archives' : '-'}/${rule.alerting ? 'alerts' : '-'}`]),
  );
}

function ruleCR(name: string, items: PolicyRuleItem[], labels: Record<string, string> = { type: 'alerting' }): RuleCR {
  return { metadata: { name, namespace: 'kubesphere-logging-system', labels }, spec: { rules: items } };
}

const reasons = (problems: readonly RuleLoadError[]) =>
  problems.map(({ ruleCR, item, reason }) => ({ ruleCR, item, reason }));

describe('loadRules with the shipped KubeSphere 3.4 rules', () => {
  const result = loadRules(shippedRuleCRs, shippedWebhookSettings);

  test('loads every rule item without errors or warnings', () => {
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rules.map((rule) => rule.id)).toEqual([
      'archiving-rule.archiving',
      'alerting-rule.ResourceChange',
      'alerting-rule.CreateHostnetworkPod',
      'alerting-rule.CreateHostportPod',
      'alerting-rule.CreateNodeportService',
      'alerting-rule.AttachOrExecPod',
    ]);
  });

  test('archives every alerting-CR rule and alerts only the WARNING ones', () => {
    expect(flags(result.rules)).toEqual({
      'archiving-rule.archiving': 'archives/-',
      'alerting-rule.ResourceChange': 'archives/-',
      'alerting-rule.CreateHostnetworkPod': 'archives/alerts',
      'alerting-rule.CreateHostportPod': 'archives/alerts',
      'alerting-rule.CreateNodeportService': 'archives/alerts',
      'alerting-rule.AttachOrExecPod': 'archives/alerts',
    });
  });

  test('expands lists and macros in the conditions', () => {
    const expanded = Object.fromEntries(result.rules.map((rule) => [rule.name, rule.expandedCondition]));
    expect(expanded.archiving).toBe('Verb not in ("get","list","watch")');
    expect(expanded.AttachOrExecPod).toBe(
      '(ObjectRef.Resource="pods") and (Verb = "create") and ObjectRef.Subresource in ("exec", "attach")',
    );
  });

  test('keeps the CR, namespace, labels, priority and description of each rule', () => {
    expect(result.rules[1]).toMatchObject({
      name: 'ResourceChange',
      ruleCR: 'alerting-rule',
      namespace: 'kubesphere-logging-system',
      labels: { type: 'alerting', workspace: 'system-workspace' },
      priority: 'INFO',
      enabled: true,
      description: 'audit the change of resource',
      condition: 'Verb in ${action}',
    });
  });

  test('applies the default selectors and thresholds', () => {
    expect(result.settings).toEqual({
      archivingPriority: 'DEBUG',
      alertingPriority: 'WARNING',
      archivingRuleSelector: { matchLabels: { type: 'archiving' } },
      alertingRuleSelector: { matchLabels: { type: 'alerting' } },
    });
  });
});

describe('loadRules priority thresholds', () => {
  test.each<{ name: string; settings: WebhookRuleSettings; expected: Record<string, string> }>([
    {
      name: 'alerts INFO rules too when alertingPriority is INFO',
      settings: { alertingPriority: 'INFO' },
      expected: { 'archiving-rule.archiving': 'archives/-', 'alerting-rule.ResourceChange': 'archives/alerts' },
    },
    {
      name: 'stops archiving DEBUG rules when archivingPriority is INFO, but alerting-CR rules still archive',
      settings: { archivingPriority: 'INFO' },
      expected: { 'archiving-rule.archiving': '-/-', 'alerting-rule.ResourceChange': 'archives/-' },
    },
    {
      name: 'falls back to DEBUG and WARNING for invalid priorities',
      settings: { archivingPriority: 'verbose', alertingPriority: 'warning' },
      expected: { 'archiving-rule.archiving': 'archives/-', 'alerting-rule.ResourceChange': 'archives/-' },
    },
    {
      name: 'falls back to DEBUG and WARNING for empty priorities',
      settings: { archivingPriority: '', alertingPriority: null },
      expected: { 'archiving-rule.archiving': 'archives/-', 'alerting-rule.ResourceChange': 'archives/-' },
    },
  ])('$name', ({ settings, expected }) => {
    const { rules } = loadRules(shippedRuleCRs, settings);
    expect(flags(rules.slice(0, 2))).toEqual(expected);
  });

  test('warns about an invalid webhook priority and says what it used instead', () => {
    const { warnings, settings } = loadRules([], { archivingPriority: 'verbose' });
    expect(settings.archivingPriority).toBe('DEBUG');
    expect(reasons(warnings)).toEqual([
      {
        ruleCR: undefined,
        item: undefined,
        reason: 'archivingPriority "verbose" is not one of DEBUG, INFO, WARNING; using DEBUG',
      },
    ]);
  });

  test('loads a rule with an unknown priority, which archives in an alerting CR but never alerts', () => {
    const { rules, warnings } = loadRules([
      ruleCR('custom', [
        { name: 'Loud', type: 'rule', condition: 'Verb = "delete"', enable: true, priority: 'CRITICAL' },
      ]),
    ]);
    expect(rules[0]).toMatchObject({ priority: undefined, archiving: true, alerting: false });
    expect(reasons(warnings)).toEqual([
      {
        ruleCR: 'custom',
        item: 'Loud',
        reason: 'priority is "CRITICAL", not one of DEBUG, INFO, WARNING, so the rule ranks below every threshold',
      },
    ]);
  });
});

describe('loadRules selectors', () => {
  const custom = ruleCR(
    'team-rules',
    [{ name: 'Deletes', type: 'rule', condition: 'Verb = "delete"', enable: true, priority: 'WARNING' }],
    { type: 'audit', team: 'payments' },
  );

  test.each<{ name: string; settings: WebhookRuleSettings; expected: Record<string, string> }>([
    {
      name: "archives nothing with the docs' type=persistence selector",
      settings: { archivingRuleSelector: { matchLabels: { type: 'persistence' } } },
      expected: { 'archiving-rule.archiving': '-/-', 'team-rules.Deletes': '-/-' },
    },
    {
      name: 'selects by matchExpressions, which KubeSphere ignored',
      settings: {
        archivingRuleSelector: { matchExpressions: [{ key: 'type', operator: 'In', values: ['archiving', 'audit'] }] },
      },
      expected: { 'archiving-rule.archiving': 'archives/-', 'team-rules.Deletes': 'archives/-' },
    },
    {
      name: 'alerts for a CR chosen by an Exists expression',
      settings: { alertingRuleSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } },
      expected: { 'archiving-rule.archiving': 'archives/-', 'team-rules.Deletes': 'archives/alerts' },
    },
    {
      name: 'uses the default selector when the given one is empty',
      settings: { archivingRuleSelector: { matchLabels: {}, matchExpressions: [] } },
      expected: { 'archiving-rule.archiving': 'archives/-', 'team-rules.Deletes': '-/-' },
    },
  ])('$name', ({ settings, expected }) => {
    const { rules } = loadRules([archivingRule, custom], settings);
    expect(flags(rules)).toEqual(expected);
  });

  test('reports an invalid selector, which then selects nothing', () => {
    const selector: LabelSelector = { matchExpressions: [{ key: 'type', operator: 'Equals', values: ['archiving'] }] };
    const { rules, errors } = loadRules([archivingRule], { archivingRuleSelector: selector });
    expect(flags(rules)).toEqual({ 'archiving-rule.archiving': '-/-' });
    expect(errors.map((error) => error.reason)).toEqual([
      'archivingRuleSelector: matchExpressions[0]: unknown operator "Equals"; use one of In, NotIn, Exists, DoesNotExist; the selector matches no Rule CR',
    ]);
  });
});

describe('loadRules references', () => {
  test('resolves references into another CR by <cr>.<item>, and its own items first', () => {
    const custom = ruleCR('team-rules', [
      { name: 'create', type: 'macro', macro: 'Verb = "create"' },
      { name: 'secret', type: 'macro', macro: 'ObjectRef.Resource = "secrets" and ${create}' },
      {
        name: 'CreateSecretPod',
        type: 'rule',
        condition: '${alerting-rule.pod} and ${create} or ${secret}',
        enable: true,
        priority: 'WARNING',
        output: '${alerting-rule.user} did it',
      },
    ]);
    const { rules, errors } = loadRules([alertingRule, custom]);
    expect(errors).toEqual([]);
    const rule = rules.find((candidate) => candidate.id === 'team-rules.CreateSecretPod');
    expect(rule?.expandedCondition).toBe(
      '(ObjectRef.Resource="pods") and (Verb = "create") or (ObjectRef.Resource = "secrets" and (Verb = "create"))',
    );
    expect(rule?.message(flattenEvent({ User: { username: 'bob' } }))).toBe('bob did it');
  });

  test('uses an alias of another CR in an output, and a field path otherwise', () => {
    const custom = ruleCR('team-rules', [
      {
        name: 'Exec',
        type: 'rule',
        condition: 'Verb = "create"',
        enable: true,
        priority: 'WARNING',
        output: '${alerting-rule.name} by ${User.username}',
      },
    ]);
    const [rule] = loadRules([alertingRule, custom]).rules.filter((candidate) => candidate.ruleCR === 'team-rules');
    expect(rule?.message(flattenEvent({ User: { username: 'bob' }, ObjectRef: { Name: 'web-1' } }))).toBe(
      'web-1 by bob',
    );
  });
});

describe('loadRules reports every rule it cannot load, with CR, item and reason', () => {
  test.each<{ name: string; items: PolicyRuleItem[]; item: string | undefined; reason: string }>([
    {
      name: 'an unresolved reference',
      items: [{ name: 'R', type: 'rule', condition: 'Verb in ${verbs}', enable: true, priority: 'INFO' }],
      item: 'R',
      reason:
        '${verbs} is not defined: there is no item "verbs" in Rule custom, and no item "<rule>.<item>" named "verbs"',
    },
    {
      name: 'a macro cycle',
      items: [
        { name: 'a', type: 'macro', macro: '${b}' },
        { name: 'b', type: 'macro', macro: '${a}' },
        { name: 'R', type: 'rule', condition: '${a}', enable: true, priority: 'INFO' },
      ],
      item: 'R',
      reason: 'macro cycle: custom.a → custom.b → custom.a',
    },
    {
      name: 'a syntax error, quoting the expanded condition',
      items: [
        { name: 'm', type: 'macro', macro: 'Verb = "create"' },
        { name: 'R', type: 'rule', condition: '${m} and Verb =', enable: true, priority: 'INFO' },
      ],
      item: 'R',
      reason:
        'syntax error in the condition (expanded: (Verb = "create") and Verb =): expected a string, number or boolean after \'=\', found the end of the condition (at 1:29)',
    },
    {
      name: 'a missing condition',
      items: [{ name: 'R', type: 'rule', enable: true, priority: 'INFO' }],
      item: 'R',
      reason: 'the rule has no condition',
    },
    {
      name: 'an unknown item type',
      items: [{ name: 'R', type: 'rules', condition: 'Verb = "get"' }],
      item: 'R',
      reason: 'unknown type "rules"; expected one of rule, macro, list, alias',
    },
    {
      name: 'an item without a name',
      items: [{ type: 'rule', condition: 'Verb = "get"' }],
      item: '#0',
      reason: 'the item has no name',
    },
    {
      name: 'a reference to another rule',
      items: [
        { name: 'Base', type: 'rule', condition: 'Verb = "get"', enable: true, priority: 'INFO' },
        { name: 'R', type: 'rule', condition: '${Base} and Verb = "x"', enable: true, priority: 'INFO' },
      ],
      item: 'R',
      reason: '${Base} refers to custom.Base of type "rule"; only macros, lists and aliases can be referenced',
    },
    {
      name: 'a duplicate item name (the last one wins)',
      items: [
        { name: 'R', type: 'rule', condition: 'Verb = "get"', enable: true, priority: 'INFO' },
        { name: 'R', type: 'rule', condition: 'Verb = "list"', enable: true, priority: 'INFO' },
      ],
      item: 'R',
      reason: 'a later item named R in Rule custom replaces this one (the last definition wins)',
    },
    {
      name: 'a macro that references a missing list',
      items: [
        { name: 'm', type: 'macro', macro: 'Verb in ${verbs}' },
        { name: 'R', type: 'rule', condition: '${m}', enable: true, priority: 'INFO' },
      ],
      item: 'R',
      reason: '${verbs} is not defined',
    },
    {
      name: 'an invalid regular expression',
      items: [{ name: 'R', type: 'rule', condition: 'User.username regex "(?=x)"', enable: true, priority: 'INFO' }],
      item: 'R',
      reason: 'lookaround is not supported by Go regexp (RE2)',
    },
  ])('$name', ({ items, item, reason }) => {
    const { errors } = loadRules([ruleCR('custom', items)]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ ruleCR: 'custom', namespace: 'kubesphere-logging-system', item });
    expect(errors[0]?.reason).toContain(reason);
  });

  test('keeps loading the other rules when one fails', () => {
    const { rules, errors } = loadRules([
      ruleCR('custom', [
        { name: 'Broken', type: 'rule', condition: 'Verb ==', enable: true, priority: 'INFO' },
        { name: 'Fine', type: 'rule', condition: 'Verb = "get"', enable: true, priority: 'INFO' },
      ]),
    ]);
    expect(rules.map((rule) => rule.name)).toEqual(['Fine']);
    expect(errors.map((error) => error.item)).toEqual(['Broken']);
  });

  test('reports a Rule CR without a name', () => {
    const { errors } = loadRules([{ metadata: { name: '', namespace: 'x' }, spec: { rules: [] } }]);
    expect(reasons(errors)).toEqual([
      { ruleCR: undefined, item: undefined, reason: 'a Rule CR without metadata.name is ignored' },
    ]);
  });

  test('warns when two namespaces hold a Rule CR of the same name', () => {
    const other = { ...archivingRule, metadata: { ...archivingRule.metadata, namespace: 'other' } };
    const { warnings } = loadRules([archivingRule, other]);
    expect(warnings.map((warning) => warning.reason)).toEqual([
      'Rule CR name archiving-rule is also used in namespace kubesphere-logging-system; items are keyed by CR name, so items with the same name replace each other',
    ]);
  });

  test('reports a Rule CR whose spec.rules is not a list', () => {
    const malformed = { metadata: { name: 'odd' }, spec: { rules: { name: 'R' } } } as unknown as RuleCR;
    expect(reasons(loadRules([malformed]).errors)).toEqual([
      { ruleCR: 'odd', item: undefined, reason: 'spec.rules is not a list; the Rule CR is ignored' },
    ]);
  });

  test('reports a condition that is not text as missing', () => {
    const item = {
      name: 'R',
      type: 'rule',
      condition: 42,
      enable: true,
      priority: 'INFO',
    } as unknown as PolicyRuleItem;
    expect(loadRules([ruleCR('custom', [item])]).errors.map((error) => error.reason)).toEqual([
      'the rule has no condition',
    ]);
  });

  test('turns list values that are not text into strings', () => {
    const codes = { name: 'codes', type: 'list', list: [200, 'x'] } as unknown as PolicyRuleItem;
    const { rules } = loadRules([
      ruleCR('custom', [
        codes,
        { name: 'R', type: 'rule', condition: 'code in ${codes}', enable: true, priority: 'INFO' },
      ]),
    ]);
    expect(rules[0]?.expandedCondition).toBe('code in ("200","x")');
  });

  test('loads a CR without spec or rules as having no rules', () => {
    expect(
      loadRules([{ metadata: { name: 'empty' } }, { metadata: { name: 'nulls' }, spec: { rules: null } }]),
    ).toMatchObject({
      rules: [],
      errors: [],
    });
  });
});

describe('loadRules enable', () => {
  test('loads a rule with enable: false, marked disabled', () => {
    const { rules, errors, warnings } = loadRules([
      ruleCR('custom', [{ name: 'Off', type: 'rule', condition: 'Verb = "get"', enable: false, priority: 'INFO' }]),
    ]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(rules[0]).toMatchObject({ name: 'Off', enabled: false });
  });

  test('treats a missing enable as false, as Go does, and warns', () => {
    const { rules, warnings } = loadRules([
      ruleCR('custom', [{ name: 'Unset', type: 'rule', condition: 'Verb = "get"', priority: 'INFO' }]),
    ]);
    expect(rules[0]?.enabled).toBe(false);
    expect(reasons(warnings)).toEqual([
      {
        ruleCR: 'custom',
        item: 'Unset',
        reason: 'enable is not set; KubeSphere reads that as false, so the rule is disabled',
      },
    ]);
  });

  test('still reports a syntax error in a disabled rule', () => {
    const { errors } = loadRules([
      ruleCR('custom', [{ name: 'Off', type: 'rule', condition: 'Verb =', enable: false, priority: 'INFO' }]),
    ]);
    expect(errors.map((error) => error.item)).toEqual(['Off']);
  });
});
