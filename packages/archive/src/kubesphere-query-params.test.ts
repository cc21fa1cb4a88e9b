import { describe, expect, test } from 'vitest';
import { parseKubeSphereAuditingParams, queryParameterStatus } from './kubesphere-query-params.ts';

describe('parseKubeSphereAuditingParams', () => {
  test('defaults to a query of the 10 newest events with a 15m interval', () => {
    expect(parseKubeSphereAuditingParams({})).toEqual({
      ok: true,
      request: { operation: 'query', query: {}, interval: '15m' },
    });
  });

  test.each([
    {
      name: 'workspace filter and search',
      params: { workspace_filter: 'a,b', workspace_search: 'dem' },
      query: { workspaces: ['a', 'b'], workspaceSearch: ['dem'] },
    },
    {
      name: 'namespace filter and search',
      params: { objectref_namespace_filter: 'demo', objectref_namespace_search: 'pro,de' },
      query: { namespaces: ['demo'], namespaceSearch: ['pro', 'de'] },
    },
    {
      name: 'name filter and search',
      params: { objectref_name_filter: 'web-1', objectref_name_search: 'web' },
      query: { names: ['web-1'], nameSearch: ['web'] },
    },
    {
      name: 'level and verb filters',
      params: { level_filter: 'Metadata,Request', verb_filter: 'create' },
      query: { levels: ['Metadata', 'Request'], verbs: ['create'] },
    },
    {
      name: 'user filter and search, group and IP search',
      params: { user_filter: 'admin', user_search: 'adm', group_search: 'system:', source_ip_search: '10.0' },
      query: { users: ['admin'], userSearch: ['adm'], groupSearch: ['system:'], sourceIpSearch: ['10.0'] },
    },
    {
      name: 'resource and subresource prefixes',
      params: { objectref_resource_filter: 'deploy', objectref_subresource_filter: 'scale' },
      query: { resources: ['deploy'], subresources: ['scale'] },
    },
    {
      name: 'response codes as numbers and statuses',
      params: { response_code_filter: '403,404', response_status_filter: 'Failure' },
      query: { responseCodes: [403, 404], responseStatuses: ['Failure'] },
    },
    {
      name: 'Unix seconds as milliseconds',
      params: { start_time: '1714564800', end_time: '1714568400' },
      query: { startTime: 1_714_564_800_000, endTime: 1_714_568_400_000 },
    },
    {
      name: 'sort and paging',
      params: { sort: 'asc', from: '20', size: '50' },
      query: { sort: 'asc', from: 20, size: 50 },
    },
    {
      name: "Auditorium's own stage, source and text filters",
      params: { stage_filter: 'ResponseComplete', source_filter: 'kubesphere', text: 'secret' },
      query: { stages: ['ResponseComplete'], sources: ['kubesphere'], text: 'secret' },
    },
    {
      name: 'empty values and empty list entries as absent',
      params: { verb_filter: '', user_filter: 'a,,b', sort: '' },
      query: { users: ['a', 'b'] },
    },
    { name: 'unknown parameters ignored', params: { cluster: 'host', verb_filter: 'get' }, query: { verbs: ['get'] } },
  ])('reads $name', ({ params, query }) => {
    expect(parseKubeSphereAuditingParams(params)).toEqual({
      ok: true,
      request: { operation: 'query', query, interval: '15m' },
    });
  });

  test('reads a histogram request with its interval from URL search params', () => {
    const params = new URLSearchParams('operation=histogram&interval=1h&objectref_namespace_filter=demo');
    expect(parseKubeSphereAuditingParams(params)).toEqual({
      ok: true,
      request: { operation: 'histogram', query: { namespaces: ['demo'] }, interval: '1h' },
    });
  });

  test('reads a statistics request', () => {
    expect(parseKubeSphereAuditingParams({ operation: 'statistics' })).toMatchObject({
      ok: true,
      request: { operation: 'statistics' },
    });
  });

  test.each([
    {
      name: 'an unknown operation',
      params: { operation: 'count' },
      parameter: 'operation',
      message: /query, statistics, histogram/,
    },
    {
      name: 'a start time that is not seconds',
      params: { start_time: '2024-05-01' },
      parameter: 'start_time',
      message: /whole seconds since the Unix epoch/,
    },
    {
      name: 'an end time in fractional seconds',
      params: { end_time: '1714568400.5' },
      parameter: 'end_time',
      message: /whole seconds/,
    },
    {
      name: 'a start after the end',
      params: { start_time: '20', end_time: '10' },
      parameter: 'start_time',
      message: /must not be after end_time \(10\)/,
    },
    { name: 'a sort other than asc or desc', params: { sort: 'newest' }, parameter: 'sort', message: /asc or desc/ },
    { name: 'a negative offset', params: { from: '-1' }, parameter: 'from', message: /whole number ≥ 0/ },
    { name: 'a size that is not a number', params: { size: 'ten' }, parameter: 'size', message: /0 to 10000/ },
    { name: 'a size over the maximum', params: { size: '10001' }, parameter: 'size', message: /0 to 10000/ },
    {
      name: 'a response code that is not a number',
      params: { response_code_filter: '404,NotFound' },
      parameter: 'response_code_filter',
      message: /NotFound: HTTP status codes/,
    },
    {
      name: 'an unknown stage',
      params: { stage_filter: 'Done' },
      parameter: 'stage_filter',
      message: /Done: stages are RequestReceived/,
    },
    {
      name: 'an unknown source',
      params: { source_filter: 'openshift' },
      parameter: 'source_filter',
      message: /sources are kubernetes, kubesphere/,
    },
    {
      name: 'a histogram interval outside KubeSphere syntax',
      params: { operation: 'histogram', interval: '15min' },
      parameter: 'interval',
      message: /"15min" is not a count followed by a unit/,
    },
  ])('rejects $name, naming the parameter', ({ params, parameter, message }) => {
    const parsed = parseKubeSphereAuditingParams(params);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ parameter });
    expect(parsed.errors[0]!.message).toMatch(message);
  });

  test('ignores a malformed interval on a query, which does not use it', () => {
    expect(parseKubeSphereAuditingParams({ interval: 'soon' })).toMatchObject({ ok: true });
  });

  test('reports every bad parameter at once', () => {
    const parsed = parseKubeSphereAuditingParams({ start_time: 'x', size: 'y', sort: 'z' });
    expect(parsed.ok ? [] : parsed.errors.map((error) => error.parameter)).toEqual(['start_time', 'sort', 'size']);
  });
});

describe('queryParameterStatus', () => {
  test('is a 400 Status with one cause per bad parameter, the parameter as its field', () => {
    const parsed = parseKubeSphereAuditingParams({ start_time: 'x', size: 'y' });
    if (parsed.ok) throw new Error('expected errors');
    const status = queryParameterStatus(parsed.errors);
    expect(status).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
    expect(status.message).toContain('start_time=x');
    expect(status.details?.causes?.map((cause) => cause.field)).toEqual(['start_time', 'size']);
  });
});
