// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is KubeSphere's reference syntax in rule text, not a template literal.
import { describe, expect, test } from 'vitest';
import { type IndexedItem, ReferenceExpander, RuleReferenceError } from './references.ts';
import type { PolicyRuleItem } from './rule-types.ts';

function index(crs: Record<string, PolicyRuleItem[]>): Map<string, IndexedItem> {
  const map = new Map<string, IndexedItem>();
  for (const [ruleCR, items] of Object.entries(crs)) {
    for (const item of items) map.set(`${ruleCR}.${item.name}`, { ruleCR, item });
  }
  return map;
}

const items = index({
  'alerting-rule': [
    { name: 'pod', type: 'macro', macro: 'ObjectRef.Resource="pods"' },
    { name: 'create', type: 'macro', macro: 'Verb = "create"' },
    { name: 'pod-create', type: 'macro', macro: '${pod} and ${create}' },
    { name: 'either', type: 'macro', macro: 'Verb = "a" or Verb = "b"' },
    { name: 'action', type: 'list', list: ['create', 'delete'] },
    { name: 'quoted', type: 'list', list: ['say "hi"', 'back\\slash'] },
    { name: 'user', type: 'alias', alias: 'User.username' },
    { name: 'ResourceChange', type: 'rule', condition: 'Verb in ${action}' },
    { name: 'loop-a', type: 'macro', macro: 'x and ${loop-b}' },
    { name: 'loop-b', type: 'macro', macro: 'y or ${loop-a}' },
    { name: 'self', type: 'macro', macro: '${self}' },
    { name: 'blank', type: 'macro', macro: '  ' },
    { name: 'none', type: 'list', list: [] },
    { name: 'uses-shared', type: 'macro', macro: '${shared}' },
  ],
  'team-rules': [
    { name: 'pod', type: 'macro', macro: 'ObjectRef.Resource="deployments"' },
    { name: 'shared', type: 'macro', macro: 'Team = "a"' },
  ],
  shared: [],
});

describe('ReferenceExpander.expand', () => {
  test.each([
    {
      name: 'inserts a macro in parentheses',
      text: '${pod}',
      ownCR: 'alerting-rule',
      expected: '(ObjectRef.Resource="pods")',
    },
    {
      name: 'inserts a list as quoted, comma-separated values',
      text: 'Verb in ${action}',
      ownCR: 'alerting-rule',
      expected: 'Verb in ("create","delete")',
    },
    {
      name: 'escapes quotes and backslashes in list values',
      text: 'a in ${quoted}',
      ownCR: 'alerting-rule',
      expected: 'a in ("say \\"hi\\"","back\\\\slash")',
    },
    {
      name: 'inserts an alias as its field path',
      text: '${user} = "alice"',
      ownCR: 'alerting-rule',
      expected: 'User.username = "alice"',
    },
    {
      name: 'expands macros inside macros',
      text: '${pod-create}',
      ownCR: 'alerting-rule',
      expected: '((ObjectRef.Resource="pods") and (Verb = "create"))',
    },
    {
      name: 'keeps a macro with or as one term',
      text: 'x and ${either}',
      ownCR: 'alerting-rule',
      expected: 'x and (Verb = "a" or Verb = "b")',
    },
    {
      name: 'prefers the item of its own CR',
      text: '${pod}',
      ownCR: 'team-rules',
      expected: '(ObjectRef.Resource="deployments")',
    },
    {
      name: 'reaches another CR with <cr>.<item>',
      text: '${alerting-rule.create}',
      ownCR: 'team-rules',
      expected: '(Verb = "create")',
    },
    {
      name: 'resolves a macro’s references in the macro’s own CR',
      text: '${alerting-rule.pod-create}',
      ownCR: 'team-rules',
      expected: '((ObjectRef.Resource="pods") and (Verb = "create"))',
    },
    {
      name: 'leaves text without references alone',
      text: 'Verb = "get"',
      ownCR: 'alerting-rule',
      expected: 'Verb = "get"',
    },
  ])('$name', ({ text, ownCR, expected }) => {
    expect(new ReferenceExpander(items).expand(text, ownCR)).toBe(expected);
  });

  test.each([
    {
      name: 'an unresolved reference, naming both lookups',
      text: '${nope}',
      reason: '${nope} is not defined: there is no item "nope" in Rule alerting-rule',
    },
    {
      name: 'a reference to a rule item',
      text: '${ResourceChange}',
      reason: 'refers to alerting-rule.ResourceChange of type "rule"; only macros, lists and aliases can be referenced',
    },
    {
      name: 'a cycle between two macros, with its path',
      text: '${loop-a}',
      reason: 'macro cycle: alerting-rule.loop-a → alerting-rule.loop-b → alerting-rule.loop-a',
    },
    {
      name: 'a macro referencing itself',
      text: '${self}',
      reason: 'macro cycle: alerting-rule.self → alerting-rule.self',
    },
    { name: 'an empty macro', text: '${blank}', reason: 'macro alerting-rule.blank has no condition text' },
    { name: 'an empty list', text: 'a in ${none}', reason: 'list alerting-rule.none, which is empty' },
    {
      name: 'a nested reference that only resolves in another CR',
      text: '${uses-shared}',
      reason: '${shared} is not defined',
    },
  ])('rejects $name', ({ text, reason }) => {
    const expand = () => new ReferenceExpander(items).expand(text, 'alerting-rule');
    expect(expand).toThrow(RuleReferenceError);
    expect(expand).toThrow(reason);
  });

  test('stops a macro explosion before it exhausts memory', () => {
    const levels: PolicyRuleItem[] = [{ name: 'm0', type: 'macro', macro: 'a = "x"' }];
    for (let i = 1; i < 40; i++)
      levels.push({ name: `m${i}`, type: 'macro', macro: `\${m${i - 1}} and \${m${i - 1}}` });
    expect(() => new ReferenceExpander(index({ big: levels })).expand('${m39}', 'big')).toThrow('expands to more than');
  });
});
