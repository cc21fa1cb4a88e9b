import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.ts';

/** A fresh temp directory, removed when the current test finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'auditorium-archive-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real store on a file in a fresh temp directory, closed and removed when the current test finishes. */
export async function openTempStore(
  options?: SqliteEventStoreOptions,
): Promise<{ store: SqliteEventStore; path: string; dir: string }> {
  const dir = tempDir();
  const path = join(dir, 'archive.db');
  const store = await SqliteEventStore.open(path, options);
  onTestFinished(() => store.close());
  return { store, path, dir };
}

/**
 * A store shared by a describe block's read-only cases (open it in `beforeAll`, hand `remove` to
 * `afterAll`): starting two worker threads per case would cost more than the cases themselves.
 */
export async function openSharedStore(): Promise<{ store: SqliteEventStore; remove: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'auditorium-archive-'));
  const store = await SqliteEventStore.open(join(dir, 'archive.db'));
  return {
    store,
    remove: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
