import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, test } from 'vitest';
import {
  latestSchemaVersion,
  migrate,
  openReaderDatabase,
  openWriterDatabase,
  schemaVersion,
} from './sqlite-schema.ts';
import { tempDir } from './temp-store.ts';

describe('sqlite schema', () => {
  test('creates a new archive at the latest version, in WAL mode', () => {
    const path = join(tempDir(), 'archive.db');
    const db = openWriterDatabase(path);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    // NORMAL is 1, FULL is 2.
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 1 });
    db.close();
  });

  test('reopening an archive applies no migration twice', () => {
    const path = join(tempDir(), 'archive.db');
    openWriterDatabase(path).close();
    const db = openWriterDatabase(path, 'FULL');
    const applied = db.prepare('SELECT version FROM schema_migrations').all();
    expect(applied).toEqual([{ version: 1 }].slice(0, latestSchemaVersion));
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 });
    db.close();
  });

  test('refuses an archive written by a newer Auditorium', () => {
    const path = join(tempDir(), 'archive.db');
    const db = openWriterDatabase(path);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01')").run();
    db.close();
    expect(() => openWriterDatabase(path)).toThrow(/schema version 99, newer than this Auditorium knows/);
  });

  test('a failing migration leaves the archive at the last whole version', () => {
    const db = new DatabaseSync(':memory:');
    const steps = [
      { version: 1, description: 'first', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, description: 'broken', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1)' },
    ];
    expect(() => migrate(db, steps)).toThrow(/archive migration 2 \(broken\) failed/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  test('a read connection refuses to write', () => {
    const path = join(tempDir(), 'archive.db');
    const writer = openWriterDatabase(path);
    const reader = openReaderDatabase(path);
    expect(() => reader.exec('DELETE FROM events')).toThrow(/readonly|read-only|query_only/i);
    reader.close();
    writer.close();
  });
});
