import { describe, expect, test } from 'vitest';
import {
  isEmptyLabelSelector,
  type LabelSelector,
  labelSelectorProblems,
  matchesLabelSelector,
} from './label-selector.ts';

const labels = { type: 'alerting', workspace: 'system-workspace', tier: 'gold' };

describe('matchesLabelSelector', () => {
  test.each<{ name: string; selector: LabelSelector; expected: boolean }>([
    {
      name: 'matches when every matchLabels entry is present',
      selector: { matchLabels: { type: 'alerting' } },
      expected: true,
    },
    {
      name: 'fails when a matchLabels value differs',
      selector: { matchLabels: { type: 'archiving' } },
      expected: false,
    },
    { name: 'fails when a matchLabels key is missing', selector: { matchLabels: { team: 'a' } }, expected: false },
    {
      name: 'matches In when the value is listed',
      selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold', 'silver'] }] },
      expected: true,
    },
    {
      name: 'fails In when the value is not listed',
      selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['bronze'] }] },
      expected: false,
    },
    {
      name: 'fails In when the key is missing',
      selector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] },
      expected: false,
    },
    {
      name: 'matches NotIn when the value is not listed',
      selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['bronze'] }] },
      expected: true,
    },
    {
      name: 'matches NotIn when the key is missing',
      selector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] },
      expected: true,
    },
    {
      name: 'fails NotIn when the value is listed',
      selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['gold'] }] },
      expected: false,
    },
    {
      name: 'matches Exists when the key is present',
      selector: { matchExpressions: [{ key: 'workspace', operator: 'Exists' }] },
      expected: true,
    },
    {
      name: 'fails Exists when the key is missing',
      selector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] },
      expected: false,
    },
    {
      name: 'matches DoesNotExist when the key is missing',
      selector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] },
      expected: true,
    },
    {
      name: 'fails DoesNotExist when the key is present',
      selector: { matchExpressions: [{ key: 'type', operator: 'DoesNotExist' }] },
      expected: false,
    },
    {
      name: 'ANDs matchLabels with matchExpressions',
      selector: {
        matchLabels: { type: 'alerting' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['bronze'] }],
      },
      expected: false,
    },
    { name: 'matches everything with an empty selector, as Kubernetes does', selector: {}, expected: true },
    {
      name: 'matches nothing with an unknown operator',
      selector: { matchExpressions: [{ key: 'type', operator: 'Equals', values: ['alerting'] }] },
      expected: false,
    },
    {
      name: 'matches nothing with In and no values',
      selector: { matchExpressions: [{ key: 'type', operator: 'NotIn', values: [] }] },
      expected: false,
    },
  ])('$name', ({ selector, expected }) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
  });

  test('treats missing labels as no labels', () => {
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'type', operator: 'DoesNotExist' }] }, undefined)).toBe(
      true,
    );
  });
});

describe('labelSelectorProblems', () => {
  test.each<{ name: string; selector: LabelSelector; expected: string[] }>([
    {
      name: 'finds nothing wrong with a valid selector',
      selector: { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] },
      expected: [],
    },
    {
      name: 'names an unknown operator and the allowed ones',
      selector: { matchExpressions: [{ key: 'a', operator: 'Equals' }] },
      expected: ['matchExpressions[0]: unknown operator "Equals"; use one of In, NotIn, Exists, DoesNotExist'],
    },
    {
      name: 'requires values for In',
      selector: {
        matchExpressions: [
          { key: 'a', operator: 'Exists' },
          { key: 'b', operator: 'In' },
        ],
      },
      expected: ['matchExpressions[1]: operator In needs at least one value'],
    },
    {
      name: 'refuses values for Exists',
      selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      expected: ['matchExpressions[0]: operator Exists takes no values'],
    },
    {
      name: 'requires a key',
      selector: { matchExpressions: [{ key: '', operator: 'Exists' }] },
      expected: ['matchExpressions[0]: key is required'],
    },
  ])('$name', ({ selector, expected }) => {
    expect(labelSelectorProblems(selector)).toEqual(expected);
  });
});

describe('isEmptyLabelSelector', () => {
  test.each<{ name: string; selector: LabelSelector | null | undefined; expected: boolean }>([
    { name: 'treats a missing selector as empty', selector: undefined, expected: true },
    { name: 'treats a null selector as empty', selector: null, expected: true },
    { name: 'treats empty matchLabels as empty', selector: { matchLabels: {} }, expected: true },
    {
      name: 'treats a selector with only expressions as set',
      selector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] },
      expected: false,
    },
    { name: 'treats a selector with labels as set', selector: { matchLabels: { a: 'b' } }, expected: false },
  ])('$name', ({ selector, expected }) => {
    expect(isEmptyLabelSelector(selector)).toBe(expected);
  });
});
