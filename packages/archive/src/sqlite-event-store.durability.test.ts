import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { SqliteEventStore } from './sqlite-event-store.ts';
import { tempDir } from './temp-store.ts';

const appender = fileURLToPath(new URL('./kill-test-appender.ts', import.meta.url));

describe('SqliteEventStore durability', () => {
  test('keeps every acknowledged event when the writing process is killed with SIGKILL mid-stream', async () => {
    const path = join(tempDir(), 'archive.db');
    const child = spawn(process.execPath, [appender, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged = new Set<string>();
    let partial = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) acknowledged.add(line);
        // Kill well into the stream, while the four senders keep appends queued and in flight.
        if (acknowledged.size >= 5000 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      exited.then(() => reject(new Error(`the appender exited before it was killed: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    db.close();

    const store = await SqliteEventStore.open(path);
    try {
      const stored = new Set<string>();
      for await (const page of store.iterate({}, { kind: 'all' }, 5000)) {
        for (const record of page) stored.add(record.event.AuditID);
      }
      const lost = [...acknowledged].filter((auditId) => !stored.has(auditId));
      expect(lost).toEqual([]);
      expect(stored.size).toBeGreaterThanOrEqual(acknowledged.size);
    } finally {
      await store.close();
    }
  });
});
