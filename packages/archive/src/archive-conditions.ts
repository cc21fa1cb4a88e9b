import type { EventColumn } from './event-row.ts';
import type { ArchiveFilter, ArchiveScope } from './event-store.ts';

/**
 * What a filter and a scope ask for, as a small condition tree over `EventRow` columns with no SQL in it:
 * the SQLite store renders it (sqlite-query-sql.ts), a PostgreSQL store can render the same tree with `$n`
 * placeholders and ILIKE. The KubeSphere semantics (reference §7.1, §7.2) are decided here, once.
 */
export type ArchiveCondition =
  /** The column equals one of the values (KubeSphere's exact `*_filter` lists, case-sensitive like `.keyword`). */
  | { kind: 'equals'; column: EventColumn; values: ReadonlyArray<string | number> }
  /** Some column contains some value, ignoring case (the `*_search` lists and the free text). */
  | { kind: 'contains'; columns: readonly EventColumn[]; values: readonly string[] }
  /** The column starts with one of the values, ignoring case (`match_phrase_prefix` on an analysed field). */
  | { kind: 'startsWith'; column: EventColumn; values: readonly string[] }
  /** Inclusive bounds; either may be absent. */
  | { kind: 'between'; column: EventColumn; min?: number; max?: number }
  | { kind: 'and'; conditions: readonly ArchiveCondition[] }
  | { kind: 'or'; conditions: readonly ArchiveCondition[] };

/** The columns the free-text `text` filter looks in. */
export const textSearchColumns: readonly EventColumn[] = [
  'requestUri',
  'username',
  'name',
  'namespace',
  'resource',
  'message',
];

const present = <T>(values: readonly T[] | undefined): values is readonly T[] =>
  values !== undefined && values.length > 0;

/**
 * The condition for a filter within a scope; `undefined` when the scope lets the caller see nothing, so the
 * store answers empty without touching the database (KubeSphere §7.2 step 5).
 */
export function archiveCondition(filter: ArchiveFilter, scope: ArchiveScope): ArchiveCondition | undefined {
  const conditions: ArchiveCondition[] = [];
  if (scope.kind === 'tenant') {
    const visible = scopeCondition(scope);
    if (visible === undefined) return undefined;
    conditions.push(visible);
  }
  if (filter.startTime !== undefined || filter.endTime !== undefined) {
    const range: ArchiveCondition = { kind: 'between', column: 'receivedMicros' };
    if (filter.startTime !== undefined) range.min = filter.startTime * 1000;
    // endTime is an inclusive millisecond: it covers that millisecond's microseconds too, as Elasticsearch's
    // millisecond-precision `lte` did.
    if (filter.endTime !== undefined) range.max = filter.endTime * 1000 + 999;
    conditions.push(range);
  }
  const equals: Array<[EventColumn, ReadonlyArray<string | number> | undefined]> = [
    ['workspace', filter.workspaces],
    ['namespace', filter.namespaces],
    ['name', filter.names],
    ['verb', filter.verbs],
    ['level', filter.levels],
    ['stage', filter.stages],
    ['source', filter.sources],
    ['username', filter.users],
    ['responseCode', filter.responseCodes],
    ['responseStatus', filter.responseStatuses],
  ];
  for (const [column, values] of equals) {
    if (present(values)) conditions.push({ kind: 'equals', column, values });
  }
  const contains: Array<[EventColumn, readonly string[] | undefined]> = [
    ['workspace', filter.workspaceSearch],
    ['namespace', filter.namespaceSearch],
    ['name', filter.nameSearch],
    ['username', filter.userSearch],
    ['groups', filter.groupSearch],
    ['sourceIps', filter.sourceIpSearch],
  ];
  for (const [column, values] of contains) {
    if (present(values)) conditions.push({ kind: 'contains', columns: [column], values });
  }
  if (present(filter.resources)) conditions.push({ kind: 'startsWith', column: 'resource', values: filter.resources });
  if (present(filter.subresources)) {
    conditions.push({ kind: 'startsWith', column: 'subresource', values: filter.subresources });
  }
  if (filter.text !== undefined && filter.text !== '') {
    conditions.push({ kind: 'contains', columns: textSearchColumns, values: [filter.text] });
  }
  return { kind: 'and', conditions };
}

/**
 * §7.2 step 4: each namespace and workspace is visible from its creation on, so a re-created namespace does
 * not expose its predecessor's events; cluster-level events (no namespace, no workspace) only with
 * `clusterLevel`.
 */
function scopeCondition(scope: Extract<ArchiveScope, { kind: 'tenant' }>): ArchiveCondition | undefined {
  const visible: ArchiveCondition[] = [];
  const since = (column: EventColumn, name: string, sinceMs: number): ArchiveCondition => ({
    kind: 'and',
    conditions: [
      { kind: 'equals', column, values: [name] },
      { kind: 'between', column: 'receivedMicros', min: sinceMs * 1000 },
    ],
  });
  for (const namespace of scope.namespaces) visible.push(since('namespace', namespace.name, namespace.sinceMs));
  for (const workspace of scope.workspaces) visible.push(since('workspace', workspace.name, workspace.sinceMs));
  if (scope.clusterLevel) {
    visible.push({
      kind: 'and',
      conditions: [
        { kind: 'equals', column: 'namespace', values: [''] },
        { kind: 'equals', column: 'workspace', values: [''] },
      ],
    });
  }
  return visible.length === 0 ? undefined : { kind: 'or', conditions: visible };
}
