import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '@auditorium/archive';
import { receiverPath } from '@auditorium/audit-model';
import { afterAll, describe, expect, test } from 'vitest';
import { kubernetesBatchOf } from './testing/audit-batches.ts';
import { send } from './testing/http-client.ts';

describe('durability', () => {
  const directory = mkdtempSync(join(tmpdir(), 'auditorium-kill9-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('every acknowledged event is in the archive after the receiver is killed with SIGKILL mid-stream', async () => {
    const archivePath = join(directory, 'archive.sqlite');
    const child = spawn(
      process.execPath,
      [new URL('./testing/receiver-process.ts', import.meta.url).pathname, archivePath],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_, signal) => resolve(signal)));
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the receiver exited (${code}) before listening`)));
    });
    const intake = `${(JSON.parse(firstLine) as { url: string }).url}${receiverPath}`;

    // Four senders post batches as fast as they are acknowledged, as kube-apiserver's concurrent batches do.
    const acknowledged: string[] = [];
    let inFlightAtKill = 0;
    let inFlight = 0;
    let killed = false;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const sender = async () => {
      while (!killed) {
        const { ids, body } = kubernetesBatchOf(200, { verb: 'update' });
        inFlight += 1;
        try {
          const answer = await send(intake, body, { agent });
          if (answer.status === 200) acknowledged.push(...ids);
        } catch {
          // The receiver died with this batch in flight: not acknowledged, so the sender would retry it.
        } finally {
          inFlight -= 1;
        }
      }
    };
    const senders = Array.from({ length: 4 }, sender);

    // Kill once a good number of batches are through, while others are in flight.
    while (acknowledged.length < 20_000) await new Promise((resolve) => setTimeout(resolve, 10));
    inFlightAtKill = inFlight;
    child.kill('SIGKILL');
    killed = true;
    expect(await exited).toBe('SIGKILL');
    await Promise.all(senders);
    agent.destroy();
    expect(inFlightAtKill).toBeGreaterThan(0);

    const store = await SqliteEventStore.open(archivePath);
    try {
      const stored = new Set<string>();
      for await (const page of store.iterate({}, { kind: 'all' }, 10_000)) {
        for (const record of page) stored.add(record.event.AuditID);
      }
      const missing = acknowledged.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
    } finally {
      await store.close();
    }
  }, 60_000);
});
