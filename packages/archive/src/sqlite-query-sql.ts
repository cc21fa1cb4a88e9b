import type { SQLInputValue } from 'node:sqlite';
import type { ArchiveCondition } from './archive-conditions.ts';
import type { HistogramInterval } from './histogram-interval.ts';
import { sqliteColumns } from './sqlite-schema.ts';

/**
 * Renders archive conditions into SQLite SQL. Values only ever travel as bound parameters; the SQL text holds
 * nothing but our own column names, operators and placeholders.
 */
export interface SqlFragment {
  sql: string;
  params: SQLInputValue[];
}

/**
 * LIKE treats `%` and `_` as wildcards; a user searching for `kube_system` or `50%` means the characters.
 * SQLite's LIKE ignores case for ASCII letters, which is the case-insensitive fuzzy search the KubeSphere
 * docs promise (and its Elasticsearch wildcard queries on `.keyword` never delivered, reference §9 item 6).
 */
export function likePattern(value: string, where: 'contains' | 'startsWith'): string {
  const escaped = value.replace(/[\\%_]/g, (character) => `\\${character}`);
  return where === 'contains' ? `%${escaped}%` : `${escaped}%`;
}

export function whereSql(condition: ArchiveCondition): SqlFragment {
  const params: SQLInputValue[] = [];
  const render = (node: ArchiveCondition): string => {
    switch (node.kind) {
      case 'equals': {
        const column = sqliteColumns[node.column];
        params.push(...node.values);
        return node.values.length === 1 ? `${column} = ?` : `${column} IN (${node.values.map(() => '?').join(', ')})`;
      }
      case 'contains': {
        const terms: string[] = [];
        for (const value of node.values) {
          for (const column of node.columns) {
            params.push(likePattern(value, 'contains'));
            terms.push(`${sqliteColumns[column]} LIKE ? ESCAPE '\\'`);
          }
        }
        return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
      }
      case 'startsWith': {
        const terms = node.values.map((value) => {
          params.push(likePattern(value, 'startsWith'));
          return `${sqliteColumns[node.column]} LIKE ? ESCAPE '\\'`;
        });
        return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
      }
      case 'between': {
        const column = sqliteColumns[node.column];
        const bounds: string[] = [];
        if (node.min !== undefined) {
          params.push(node.min);
          bounds.push(`${column} >= ?`);
        }
        if (node.max !== undefined) {
          params.push(node.max);
          bounds.push(`${column} <= ?`);
        }
        return bounds.length === 0 ? '1' : bounds.join(' AND ');
      }
      case 'and':
        return node.conditions.length === 0 ? '1' : `(${node.conditions.map(render).join(' AND ')})`;
      case 'or':
        return node.conditions.length === 0 ? '0' : `(${node.conditions.map(render).join(' OR ')})`;
    }
  };
  return { sql: render(condition), params };
}

/**
 * Rows with their bodies for ids chosen by `chooseIds`, in the same order. Choosing ids first and joining
 * the JSON afterwards keeps sorts and scans on the narrow `events` rows: a tenant scope spanning a namespace
 * and a workspace sorts thousands of candidates, and sorting ids instead of whole events made that page
 * about 5× faster in the benchmark.
 */
function recordsSql(chooseIds: string, direction: 'ASC' | 'DESC'): string {
  return (
    'SELECT events.id AS id, events.received_us AS received_us, event_bodies.event AS event, ' +
    'events.matched_rules AS matched_rules, events.alerted AS alerted ' +
    `FROM events JOIN event_bodies ON event_bodies.id = events.id WHERE events.id IN (${chooseIds}) ` +
    `ORDER BY events.received_us ${direction}, events.id ${direction}`
  );
}

/**
 * A scope of several namespaces and workspaces is an OR that no single index returns in time order, so
 * SQLite would collect and sort every visible event to return 50. Above a handful of branches that is the
 * slowest page a tenant sees (56 ms for 45k visible of 200k events), so each branch instead takes its own
 * newest `from + size` ids from its index, already in order, and only those are merged: the page is among
 * them because every event of the page is among the first `from + size` of some branch. UNION drops the
 * events two branches share (a namespace's events also carry its workspace). Past `maxSplitBranches`,
 * SQLite's compound SELECT limit (500) comes into view and the plain OR is used.
 */
const maxSplitBranches = 64;

function branchesOf(condition: ArchiveCondition): ArchiveCondition[] | undefined {
  if (condition.kind !== 'and') return undefined;
  const index = condition.conditions.findIndex((child) => child.kind === 'or');
  const or = condition.conditions[index];
  if (or?.kind !== 'or' || or.conditions.length < 2 || or.conditions.length > maxSplitBranches) return undefined;
  const rest = condition.conditions.filter((_, position) => position !== index);
  return or.conditions.map((branch) => ({ kind: 'and', conditions: [branch, ...rest] }));
}

/** One page in KubeSphere's order: by receive time, ties broken by arrival so pages never overlap. */
export function pageSql(condition: ArchiveCondition, sort: 'asc' | 'desc', size: number, from: number): SqlFragment {
  const direction = sort === 'asc' ? 'ASC' : 'DESC';
  const order = `ORDER BY received_us ${direction}, id ${direction}`;
  const branches = branchesOf(condition);
  if (branches === undefined) {
    const where = whereSql(condition);
    const ids = `SELECT id FROM events WHERE ${where.sql} ${order} LIMIT ? OFFSET ?`;
    return { sql: recordsSql(ids, direction), params: [...where.params, size, from] };
  }
  const params: SQLInputValue[] = [];
  const selects = branches.map((branch) => {
    const where = whereSql(branch);
    params.push(...where.params, from + size);
    return `SELECT * FROM (SELECT id, received_us FROM events WHERE ${where.sql} ${order} LIMIT ?)`;
  });
  params.push(size, from);
  const ids = `SELECT id FROM (${selects.join(' UNION ')}) ${order} LIMIT ? OFFSET ?`;
  return { sql: recordsSql(ids, direction), params };
}

export function countSql(condition: ArchiveCondition): SqlFragment {
  const where = whereSql(condition);
  return { sql: `SELECT count(*) AS events FROM events WHERE ${where.sql}`, params: where.params };
}

/**
 * Distinct requests and events. Every stage of a request carries the request's receive time, so grouping by
 * (received_us, audit_id) counts requests while reading the dedup index in order; count(DISTINCT audit_id)
 * sorted all the random UUIDs instead, 7× slower over 200k events.
 */
export function statisticsSql(condition: ArchiveCondition): SqlFragment {
  const where = whereSql(condition);
  return {
    sql:
      'SELECT count(*) AS resources, coalesce(sum(stages), 0) AS events FROM ' +
      `(SELECT count(*) AS stages FROM events WHERE ${where.sql} GROUP BY received_us, audit_id)`,
    params: where.params,
  };
}

/** Where the previous export page ended: the last row's sort key. */
export interface ExportCursor {
  receivedMicros: number;
  id: number;
}

/**
 * An export page oldest first, continuing after a cursor rather than at an offset: each page is an index
 * seek however deep the export is, and events appended meanwhile neither shift nor repeat rows.
 */
export function exportPageSql(condition: ArchiveCondition, after: ExportCursor | undefined, size: number): SqlFragment {
  const where = whereSql(condition);
  const params = [...where.params];
  let ids = `SELECT id FROM events WHERE ${where.sql}`;
  if (after !== undefined) {
    // Written as a range plus a tie-break so SQLite seeks to the cursor instead of scanning up to it.
    ids += ' AND received_us >= ? AND (received_us > ? OR id > ?)';
    params.push(after.receivedMicros, after.receivedMicros, after.id);
  }
  ids += ' ORDER BY received_us ASC, id ASC LIMIT ?';
  params.push(size);
  return { sql: recordsSql(ids, 'ASC'), params };
}

/**
 * Counts per raw bucket key: for fixed intervals the index of the interval since the interval's origin, for
 * calendar intervals the month since January 1970 (histogram-interval.ts folds months into quarters and years).
 */
export function histogramSql(condition: ArchiveCondition, interval: HistogramInterval): SqlFragment {
  const where = whereSql(condition);
  if (interval.kind === 'fixed') {
    return {
      sql: `SELECT (received_us - ?) / ? AS bucket, count(*) AS count FROM events WHERE ${where.sql} GROUP BY bucket ORDER BY bucket`,
      // BigInt binds as INTEGER; a JS number binds as REAL, and REAL division would put every event in a
      // bucket of its own.
      params: [BigInt(interval.originMs) * 1000n, BigInt(interval.widthMs) * 1000n, ...where.params],
    };
  }
  const seconds = "received_us / 1000000, 'unixepoch'";
  return {
    sql:
      `SELECT (CAST(strftime('%Y', ${seconds}) AS INTEGER) - 1970) * 12 + CAST(strftime('%m', ${seconds}) AS INTEGER) - 1 AS bucket, ` +
      `count(*) AS count FROM events WHERE ${where.sql} GROUP BY bucket ORDER BY bucket`,
    params: where.params,
  };
}

/**
 * Retention in chunks: the oldest `limit` events received before the cut-off, bodies first. Both statements
 * choose the same rows (same order, same limit) when run in one transaction.
 */
export function pruneSql(beforeMicros: number, limit: number): { bodies: SqlFragment; events: SqlFragment } {
  const oldest = 'SELECT id FROM events WHERE received_us < ? ORDER BY received_us, id LIMIT ?';
  const params = [beforeMicros, limit];
  return {
    bodies: { sql: `DELETE FROM event_bodies WHERE id IN (${oldest})`, params },
    events: { sql: `DELETE FROM events WHERE id IN (${oldest})`, params },
  };
}
