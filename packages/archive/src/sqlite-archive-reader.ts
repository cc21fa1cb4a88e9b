import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { ArchiveCondition } from './archive-conditions.ts';
import type { ArchivedRecord, ArchiveQueryResult, ArchiveStatistics } from './event-store.ts';
import type { HistogramInterval, RawBucket } from './histogram-interval.ts';
import type { Page } from './paging.ts';
import {
  countSql,
  type ExportCursor,
  exportPageSql,
  histogramSql,
  pageSql,
  type SqlFragment,
  statisticsSql,
} from './sqlite-query-sql.ts';

interface RecordRow {
  id: number;
  received_us: number;
  event: string;
  matched_rules: string;
  alerted: number;
}

export interface ExportPage {
  records: ArchivedRecord[];
  /** Where the next page starts; absent after the last page. */
  next?: ExportCursor;
}

/** Prepared statements by SQL text: filter combinations repeat, and preparing is the larger cost of a small page. */
const statementCacheSize = 64;

/**
 * The synchronous read side, on its own connection (WAL lets it read while the writer commits). Each
 * method that runs two statements wraps them in one read transaction, so a page and its total come from
 * the same snapshot.
 */
export class SqliteArchiveReader {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  query(condition: ArchiveCondition, page: Page): ArchiveQueryResult {
    return this.#snapshot(() => {
      const total = (this.#get(countSql(condition)) as { events: number }).events;
      const records =
        page.size === 0 || page.from >= total
          ? []
          : (this.#all(pageSql(condition, page.sort, page.size, page.from)) as unknown as RecordRow[]).map(toRecord);
      return { total, records };
    });
  }

  statistics(condition: ArchiveCondition): ArchiveStatistics {
    const row = this.#get(statisticsSql(condition)) as { resources: number; events: number };
    return { resources: row.resources, events: row.events };
  }

  histogram(condition: ArchiveCondition, interval: HistogramInterval): RawBucket[] {
    return this.#all(histogramSql(condition, interval)) as unknown as RawBucket[];
  }

  exportPage(condition: ArchiveCondition, after: ExportCursor | undefined, size: number): ExportPage {
    const rows = this.#all(exportPageSql(condition, after, size)) as unknown as RecordRow[];
    const last = rows.at(-1);
    const page: ExportPage = { records: rows.map(toRecord) };
    if (last !== undefined && rows.length === size) page.next = { receivedMicros: last.received_us, id: last.id };
    return page;
  }

  #snapshot<T>(read: () => T): T {
    this.#db.exec('BEGIN');
    try {
      return read();
    } finally {
      this.#db.exec('COMMIT');
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      if (this.#statements.size >= statementCacheSize) {
        this.#statements.delete(this.#statements.keys().next().value!);
      }
    } else {
      // Re-insert to keep the map in least-recently-used order.
      this.#statements.delete(sql);
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  #get({ sql, params }: SqlFragment): Record<string, SQLInputValue> {
    return this.#statement(sql).get(...params) as Record<string, SQLInputValue>;
  }

  #all({ sql, params }: SqlFragment): Record<string, SQLInputValue>[] {
    return this.#statement(sql).all(...params) as Record<string, SQLInputValue>[];
  }
}

function toRecord(row: RecordRow): ArchivedRecord {
  return { event: JSON.parse(row.event), matchedRules: JSON.parse(row.matched_rules), alerted: row.alerted === 1 };
}
