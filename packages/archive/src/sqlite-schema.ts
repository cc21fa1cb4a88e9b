import { DatabaseSync } from 'node:sqlite';
import type { EventColumn } from './event-row.ts';

/**
 * The SQLite archive's tables, their migrations and the connection settings. Everything that knows SQLite's
 * column names or pragmas lives here or in the other `sqlite-*` modules.
 */

/** `EventRow` field → column. */
export const sqliteColumns: Record<EventColumn, string> = {
  receivedMicros: 'received_us',
  auditId: 'audit_id',
  stage: 'stage',
  level: 'level',
  verb: 'verb',
  username: 'username',
  groups: 'groups',
  sourceIps: 'source_ips',
  namespace: 'namespace',
  workspace: 'workspace',
  resource: 'resource',
  subresource: 'subresource',
  name: 'name',
  responseCode: 'response_code',
  responseStatus: 'response_status',
  source: 'source',
  requestUri: 'request_uri',
  message: 'message',
};

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Append-only: a released migration is never edited, a change is a new entry.
 *
 * The event JSON lives in its own table, keyed by the same id: filters that no index serves (user, verb,
 * the substring searches) scan `events`, and without the JSON beside them its rows are a third of the
 * size, so those scans read a third of the pages (measured about 3× faster at 200k events). Queries pick ids
 * in `events` and fetch bodies only for the page they return.
 *
 * Indexes are the few the queries need, because each is another B-tree every insert updates:
 * - (received_us, audit_id, stage) UNIQUE: deduplication by INSERT OR IGNORE, and the time index for
 *   unfiltered pages, time ranges, histograms and retention. A resent event is the same event with the same
 *   RequestReceivedTimestamp, so the receive time can lead the key; and leading with it makes inserts land at
 *   the index's growing end. Keyed on (audit_id, stage), random UUIDs dirtied a page per event all over the
 *   index and every commit rewrote them into the WAL: 37k instead of 55k events/s at 200k stored, falling
 *   further as the index outgrows the cache;
 * - (namespace, received_us) and (workspace, received_us): tenant scoping and the namespace/workspace
 *   filters, already in page order so a page of 50 reads 50 index entries. The rowid `id` rides at the end of
 *   each, so ORDER BY received_us, id needs no sort (on the dedup index only ties at one time are sorted).
 * Other filters (user, verb, fuzzy searches) scan within those ranges; they narrow rather than select.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'events (filter columns, dedup key, scope indexes) and event_bodies (the event JSON)',
    sql: `
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        received_us INTEGER NOT NULL,
        audit_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        level TEXT NOT NULL,
        verb TEXT NOT NULL,
        username TEXT NOT NULL,
        groups TEXT NOT NULL,
        source_ips TEXT NOT NULL,
        namespace TEXT NOT NULL,
        workspace TEXT NOT NULL,
        resource TEXT NOT NULL,
        subresource TEXT NOT NULL,
        name TEXT NOT NULL,
        response_code INTEGER,
        response_status TEXT NOT NULL,
        source TEXT NOT NULL,
        request_uri TEXT NOT NULL,
        message TEXT NOT NULL,
        matched_rules TEXT NOT NULL,
        alerted INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX events_received_audit_id_stage ON events (received_us, audit_id, stage);
      CREATE INDEX events_namespace_received ON events (namespace, received_us);
      CREATE INDEX events_workspace_received ON events (workspace, received_us);
      CREATE TABLE event_bodies (
        id INTEGER PRIMARY KEY,
        event TEXT NOT NULL
      ) STRICT;
    `,
  },
];

export const latestSchemaVersion = Math.max(...migrations.map((migration) => migration.version));

/** The version the database is at; 0 for a new file. */
export function schemaVersion(db: DatabaseSync): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Brings the database to the latest version, each migration in its own transaction with its version row,
 * so a crash mid-way leaves a database at some whole version. Refuses a database from a newer Auditorium
 * rather than guessing at columns it does not know.
 */
export function migrate(db: DatabaseSync, all: readonly Migration[] = migrations): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const current = schemaVersion(db);
  const known = Math.max(0, ...all.map((migration) => migration.version));
  if (current > known) {
    throw new Error(
      `the archive database is at schema version ${current}, newer than this Auditorium knows (${known}); ` +
        'run a newer Auditorium or point DATA_DIR elsewhere',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...all].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      record.run(migration.version, migration.description, new Date().toISOString());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new Error(`archive migration ${migration.version} (${migration.description}) failed`, { cause: error });
    }
  }
  return schemaVersion(db);
}

/**
 * FULL syncs the WAL on every commit; NORMAL only at checkpoints. Both survive the process being killed
 * (see `openWriterDatabase`); only FULL also survives power loss or a kernel crash for the last commits.
 */
export type SynchronousMode = 'NORMAL' | 'FULL';

/**
 * The one read-write connection. WAL so readers on their own connection never block the writer or each
 * other. synchronous=NORMAL by default, and that survives kill -9: in WAL mode a commit is the commit
 * frame written into the -wal file with write(2) before COMMIT returns, so it sits in the kernel's page
 * cache, which outlives the process; the next open replays the WAL up to the last commit frame. What
 * NORMAL gives up is the fsync per commit, i.e. the last transactions on power loss or kernel panic
 * (never corruption). Deployments that must survive those choose FULL.
 */
export function openWriterDatabase(path: string, synchronous: SynchronousMode = 'NORMAL'): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    db.exec('PRAGMA busy_timeout = 5000');
    // 32 MiB page cache: the dedup index takes random UUIDs, so its pages are touched all over.
    db.exec('PRAGMA cache_size = -32768');
    db.exec('PRAGMA temp_store = MEMORY');
    migrate(db);
    // Gathers the statistics the planner uses to pick the namespace index over the time index, only when
    // they are missing or stale, so opening stays fast.
    db.exec('PRAGMA optimize = 0x10002');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A read connection beside the writer; it sees the last committed transaction when each query starts. */
export function openReaderDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA cache_size = -32768');
    db.exec('PRAGMA temp_store = MEMORY');
    db.exec('PRAGMA query_only = 1');
    const version = schemaVersion(db);
    if (version !== latestSchemaVersion) {
      throw new Error(`the archive database is at schema version ${version}, expected ${latestSchemaVersion}`);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
