import { describe, expect, test } from 'vitest';
import type { ArchiveScope } from './event-store.ts';
import { startRetention } from './retention.ts';
import { sampleRecord } from './sample-event.ts';
import { openTempStore } from './temp-store.ts';

const all: ArchiveScope = { kind: 'all' };
const day = 86_400_000;
const now = Date.UTC(2024, 4, 10);

describe('prune', () => {
  test('deletes events received before the cut-off, in chunks, and keeps the rest', async () => {
    const { store } = await openTempStore({ pruneChunkSize: 7 });
    await store.append(
      Array.from({ length: 30 }, (_, index) =>
        sampleRecord({ auditId: `old-${index}`, received: now - 8 * day + index }),
      ),
    );
    await store.append([
      sampleRecord({ auditId: 'at-cut-off', received: now - 7 * day }),
      sampleRecord({ auditId: 'new', received: now }),
    ]);
    expect(await store.prune(now - 7 * day)).toBe(30);
    const left = await store.query({ sort: 'asc' }, all);
    expect(left.records.map((record) => record.event.AuditID)).toEqual(['at-cut-off', 'new']);
    expect(await store.prune(now - 7 * day)).toBe(0);
  });

  test('lets a pruned (AuditID, Stage) be stored again', async () => {
    const { store } = await openTempStore();
    await store.append([sampleRecord({ auditId: 'a', received: now - 8 * day })]);
    await store.prune(now - 7 * day);
    expect(await store.append([sampleRecord({ auditId: 'a', received: now - 8 * day })])).toEqual({
      stored: 1,
      duplicates: 0,
    });
  });
});

describe('startRetention', () => {
  test('prunes events older than the maximum age right away', async () => {
    const { store } = await openTempStore();
    await store.append([
      sampleRecord({ auditId: 'old', received: now - 8 * day }),
      sampleRecord({ auditId: 'recent', received: now - day }),
    ]);
    const pruned = Promise.withResolvers<number>();
    const stop = startRetention(store, { now: () => now, onPruned: pruned.resolve, onError: pruned.reject });
    expect(await pruned.promise).toBe(1);
    await stop();
    expect((await store.query({}, all)).records.map((record) => record.event.AuditID)).toEqual(['recent']);
  });

  test('keeps pruning every period until stopped', async () => {
    const { store } = await openTempStore();
    let runs = 0;
    const twoRuns = Promise.withResolvers<void>();
    const stop = startRetention(store, {
      maxAgeMs: day,
      everyMs: 20,
      now: () => now,
      onPruned: () => {
        runs += 1;
        if (runs === 2) twoRuns.resolve();
      },
    });
    await twoRuns.promise;
    await stop();
    await store.append([sampleRecord({ auditId: 'old', received: now - 2 * day })]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.query({}, all)).total).toBe(1);
  });

  test('reports a failed run and keeps going', async () => {
    const errors: unknown[] = [];
    const recovered = Promise.withResolvers<void>();
    let calls = 0;
    const flaky = {
      prune: async () => {
        calls += 1;
        if (calls === 1) throw new Error('disk full');
        recovered.resolve();
        return 0;
      },
    };
    const stop = startRetention(flaky, { everyMs: 10, onError: (error) => errors.push(error) });
    await recovered.promise;
    await stop();
    expect(errors).toEqual([new Error('disk full')]);
  });
});
