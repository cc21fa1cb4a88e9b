import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EventRow } from './event-row.ts';
import type { AppendResult } from './event-store.ts';
import { pruneSql } from './sqlite-query-sql.ts';

/**
 * One event as the INSERT below binds it: the `events` columns in statement order, then the event JSON for
 * `event_bodies`. Rows are made on the appending thread (sqlite-event-store.ts) and cross to the writer
 * worker in this shape because a flat array of strings and numbers is several times cheaper to
 * structured-clone than the nested event object, and the event JSON has to be written out anyway.
 */
export type InsertRow = [
  receivedMicros: number,
  auditId: string,
  stage: string,
  level: string,
  verb: string,
  username: string,
  groups: string,
  sourceIps: string,
  namespace: string,
  workspace: string,
  resource: string,
  subresource: string,
  name: string,
  responseCode: number | null,
  responseStatus: string,
  source: string,
  requestUri: string,
  message: string,
  matchedRules: string,
  alerted: 0 | 1,
  event: string,
];

export function insertRow(row: EventRow): InsertRow {
  return [
    row.receivedMicros,
    row.auditId,
    row.stage,
    row.level,
    row.verb,
    row.username,
    row.groups,
    row.sourceIps,
    row.namespace,
    row.workspace,
    row.resource,
    row.subresource,
    row.name,
    row.responseCode,
    row.responseStatus,
    row.source,
    row.requestUri,
    row.message,
    row.matchedRules,
    row.alerted ? 1 : 0,
    row.event,
  ];
}

/**
 * The synchronous write side: runs on the writer worker's own connection, the only one that writes.
 */
export class SqliteArchiveWriter {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #insertBody: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT OR IGNORE INTO events (
      received_us, audit_id, stage, level, verb, username, groups, source_ips, namespace, workspace,
      resource, subresource, name, response_code, response_status, source, request_uri, message,
      matched_rules, alerted
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#insertBody = db.prepare('INSERT INTO event_bodies (id, event) VALUES (?, ?)');
  }

  /**
   * Writes several callers' batches in one transaction (group commit: one WAL commit for all of them) and
   * reports each batch's stored and duplicate counts. An (AuditID, Stage) already stored, or repeated within
   * the group, is ignored by the unique index and counted as a duplicate.
   */
  append(batches: readonly (readonly InsertRow[])[]): AppendResult[] {
    const results: AppendResult[] = [];
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const batch of batches) {
        let stored = 0;
        for (const row of batch) {
          const { changes, lastInsertRowid } = this.#insert.run(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            row[9],
            row[10],
            row[11],
            row[12],
            row[13],
            row[14],
            row[15],
            row[16],
            row[17],
            row[18],
            row[19],
          );
          if (Number(changes) === 0) continue;
          this.#insertBody.run(lastInsertRowid, row[20]);
          stored += 1;
        }
        results.push({ stored, duplicates: batch.length - stored });
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
    return results;
  }

  /** Deletes up to `limit` of the oldest events received before the cut-off, in one short transaction. */
  prune(beforeMicros: number, limit: number): number {
    const { bodies, events } = pruneSql(beforeMicros, limit);
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.prepare(bodies.sql).run(...bodies.params);
      const deleted = Number(this.#db.prepare(events.sql).run(...events.params).changes);
      this.#db.exec('COMMIT');
      return deleted;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Refreshes planner statistics if they went stale (cheap when they did not). */
  optimize(): void {
    this.#db.exec('PRAGMA optimize');
  }
}
