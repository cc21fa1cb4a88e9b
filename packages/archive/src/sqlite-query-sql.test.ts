import { describe, expect, test } from 'vitest';
import { archiveCondition } from './archive-conditions.ts';
import { likePattern, pageSql, whereSql } from './sqlite-query-sql.ts';

describe('likePattern', () => {
  test.each([
    { name: 'wraps a substring search', value: 'demo', where: 'contains', pattern: '%demo%' },
    { name: 'anchors a prefix search', value: 'deploy', where: 'startsWith', pattern: 'deploy%' },
    {
      name: 'escapes LIKE wildcards so they match themselves',
      value: 'a_b%c',
      where: 'contains',
      pattern: '%a\\_b\\%c%',
    },
    { name: 'escapes the escape character', value: 'a\\b', where: 'startsWith', pattern: 'a\\\\b%' },
  ] as const)('$name', ({ value, where, pattern }) => {
    expect(likePattern(value, where)).toBe(pattern);
  });
});

describe('whereSql', () => {
  test('binds every filter value as a parameter and never writes it into the SQL', () => {
    const hostile = "x' OR 1=1 --";
    const condition = archiveCondition(
      {
        namespaces: [hostile],
        userSearch: [hostile],
        resources: [hostile],
        text: hostile,
        responseCodes: [500],
        startTime: 1,
        endTime: 2,
      },
      { kind: 'tenant', namespaces: [{ name: hostile, sinceMs: 0 }], workspaces: [], clusterLevel: true },
    )!;
    const { sql, params } = whereSql(condition);
    expect(sql).not.toContain('OR 1=1');
    expect(params).toContain(hostile);
    expect(sql.split('?').length - 1).toBe(params.length);
  });

  test('matches everything for an empty filter with the whole archive in scope', () => {
    expect(whereSql(archiveCondition({}, { kind: 'all' })!)).toEqual({ sql: '1', params: [] });
  });

  test('puts size and offset last, after the filter values', () => {
    const { params } = pageSql(archiveCondition({ verbs: ['get'] }, { kind: 'all' })!, 'desc', 50, 100);
    expect(params).toEqual(['get', 50, 100]);
  });
});
