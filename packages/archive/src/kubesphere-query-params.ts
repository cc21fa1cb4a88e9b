import { eventSources, failureStatus, type Status, stages } from '@auditorium/audit-model';
import type { ArchiveQuery } from './event-store.ts';
import { defaultHistogramInterval, HistogramError, parseHistogramInterval } from './histogram-interval.ts';
import { maxPageSize } from './paging.ts';

/**
 * ks-apiserver's auditing query string (reference §7.1) for
 * `GET /kapis/tenant.kubesphere.io/v1alpha2/auditing/events`, parsed into an archive query.
 *
 * Lists are comma-separated; values within a list are ORed, parameters ANDed. Where ks-apiserver answered a
 * malformed value with a 500 (`start_time=abc`) or quietly replaced it (`size=abc` → 10, a non-numeric
 * response code dropped, an unknown `sort` → desc), we answer with every problem, each naming its
 * parameter, so a client learns what to fix. Unknown parameters are ignored, as ks-apiserver does.
 *
 * Three parameters are Auditorium's own, for filters KubeSphere's archive did not have:
 * `stage_filter` and `source_filter` (exact lists) and `text` (case-insensitive substring over URI, user,
 * object name, namespace, resource and message).
 */
export const kubeSphereOperations = ['query', 'statistics', 'histogram'] as const;
export type KubeSphereOperation = (typeof kubeSphereOperations)[number];

export interface KubeSphereAuditingRequest {
  operation: KubeSphereOperation;
  /** Filters and page; statistics and histogram use only the filters. */
  query: ArchiveQuery;
  /** Histogram bucket interval, `15m` unless given. */
  interval: string;
}

export interface QueryParameterError {
  parameter: string;
  value: string;
  message: string;
}

export type ParsedKubeSphereParams =
  | { ok: true; request: KubeSphereAuditingRequest }
  | { ok: false; errors: QueryParameterError[] };

/** A Hono `c.req.query()` record or a URL's search params; only the first value of a repeated name counts. */
export type QueryParameters = URLSearchParams | Record<string, string | undefined>;

type StringListField =
  | 'workspaces'
  | 'workspaceSearch'
  | 'namespaces'
  | 'namespaceSearch'
  | 'names'
  | 'nameSearch'
  | 'levels'
  | 'verbs'
  | 'users'
  | 'userSearch'
  | 'groupSearch'
  | 'sourceIpSearch'
  | 'resources'
  | 'subresources'
  | 'responseStatuses';

const stringLists: ReadonlyArray<[parameter: string, field: StringListField]> = [
  ['workspace_filter', 'workspaces'],
  ['workspace_search', 'workspaceSearch'],
  ['objectref_namespace_filter', 'namespaces'],
  ['objectref_namespace_search', 'namespaceSearch'],
  ['objectref_name_filter', 'names'],
  ['objectref_name_search', 'nameSearch'],
  ['level_filter', 'levels'],
  ['verb_filter', 'verbs'],
  ['user_filter', 'users'],
  ['user_search', 'userSearch'],
  ['group_search', 'groupSearch'],
  ['source_ip_search', 'sourceIpSearch'],
  ['objectref_resource_filter', 'resources'],
  ['objectref_subresource_filter', 'subresources'],
  ['response_status_filter', 'responseStatuses'],
];

export function parseKubeSphereAuditingParams(parameters: QueryParameters): ParsedKubeSphereParams {
  const read = (name: string): string | undefined => {
    const value = parameters instanceof URLSearchParams ? parameters.get(name) : parameters[name];
    // An empty value means "not given", as ks-apiserver's QueryParameter("") does.
    return value === null || value === undefined || value === '' ? undefined : value;
  };
  const errors: QueryParameterError[] = [];
  const reject = (parameter: string, value: string, message: string) => errors.push({ parameter, value, message });
  const query: ArchiveQuery = {};

  const operationText = read('operation') ?? 'query';
  const operation = kubeSphereOperations.find((candidate) => candidate === operationText);
  if (operation === undefined) reject('operation', operationText, `must be one of ${kubeSphereOperations.join(', ')}`);

  for (const [parameter, field] of stringLists) {
    const values = list(read(parameter));
    if (values !== undefined) query[field] = values;
  }

  const codes = read('response_code_filter');
  if (codes !== undefined) {
    const entries = list(codes) ?? [];
    const bad = entries.filter((entry) => !/^[0-9]{1,3}$/.test(entry));
    if (bad.length > 0)
      reject('response_code_filter', codes, `${bad.join(', ')}: HTTP status codes are numbers like 404`);
    else if (entries.length > 0) query.responseCodes = entries.map(Number);
  }

  const stagesText = read('stage_filter');
  const stageValues = list(stagesText);
  if (stagesText !== undefined && stageValues !== undefined) {
    const unknown = stageValues.filter((value) => !(stages as readonly string[]).includes(value));
    if (unknown.length > 0)
      reject('stage_filter', stagesText, `${unknown.join(', ')}: stages are ${stages.join(', ')}`);
    else query.stages = stageValues as ArchiveQuery['stages'];
  }
  const sourcesText = read('source_filter');
  const sourceValues = list(sourcesText);
  if (sourcesText !== undefined && sourceValues !== undefined) {
    const unknown = sourceValues.filter((value) => !(eventSources as readonly string[]).includes(value));
    if (unknown.length > 0)
      reject('source_filter', sourcesText, `${unknown.join(', ')}: sources are ${eventSources.join(', ')}`);
    else query.sources = sourceValues as ArchiveQuery['sources'];
  }
  const text = read('text');
  if (text !== undefined) query.text = text;

  for (const [parameter, field] of [
    ['start_time', 'startTime'],
    ['end_time', 'endTime'],
  ] as const) {
    const value = read(parameter);
    if (value === undefined) continue;
    if (!/^[0-9]{1,11}$/.test(value)) reject(parameter, value, 'must be a time in whole seconds since the Unix epoch');
    else query[field] = Number(value) * 1000;
  }
  if (query.startTime !== undefined && query.endTime !== undefined && query.startTime > query.endTime) {
    reject('start_time', read('start_time')!, `must not be after end_time (${read('end_time')})`);
  }

  const sort = read('sort');
  if (sort !== undefined) {
    if (sort === 'asc' || sort === 'desc') query.sort = sort;
    else reject('sort', sort, 'must be asc or desc (by RequestReceivedTimestamp)');
  }
  const from = read('from');
  if (from !== undefined) {
    if (!/^[0-9]{1,15}$/.test(from)) reject('from', from, 'must be a whole number ≥ 0');
    else query.from = Number(from);
  }
  const size = read('size');
  if (size !== undefined) {
    if (!/^[0-9]{1,15}$/.test(size) || Number(size) > maxPageSize) {
      reject('size', size, `must be a whole number from 0 to ${maxPageSize}`);
    } else query.size = Number(size);
  }

  const interval = read('interval') ?? defaultHistogramInterval;
  // Checked only where it is used, as ks-apiserver does: a stray interval on a query is harmless.
  if (operation === 'histogram') {
    try {
      parseHistogramInterval(interval);
    } catch (error) {
      if (!(error instanceof HistogramError)) throw error;
      reject('interval', interval, error.message);
    }
  }

  if (errors.length > 0 || operation === undefined) return { ok: false, errors };
  return { ok: true, request: { operation, query, interval } };
}

/** Comma-separated values without empty entries (`a,,b`); `undefined` when nothing is left. */
function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const values = value.split(',').filter((entry) => entry !== '');
  return values.length === 0 ? undefined : values;
}

/** The 400 `Status` for rejected parameters, one cause per problem with the parameter as its field. */
export function queryParameterStatus(errors: readonly QueryParameterError[]): Status {
  const summary = errors.map((error) => `${error.parameter}=${error.value}: ${error.message}`).join('; ');
  return failureStatus(400, 'BadRequest', `invalid auditing query: ${summary}`, {
    causes: errors.map((error) => ({ reason: 'FieldValueInvalid', message: error.message, field: error.parameter })),
  });
}
