/**
 * Archive benchmark: append throughput with concurrent appenders (batches of 400 Metadata events, the
 * receiver's shape) and query latency over 200k stored events. Writes bench/results/archive.json.
 *
 *   node bench/archive.bench.ts [--events 200000] [--appenders 4]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { archiveCondition } from '../packages/archive/src/archive-conditions.ts';
import type { ArchivedRecord, ArchiveQuery, ArchiveScope } from '../packages/archive/src/event-store.ts';
import { sampleRecord } from '../packages/archive/src/sample-event.ts';
import { SqliteArchiveReader } from '../packages/archive/src/sqlite-archive-reader.ts';
import { SqliteEventStore } from '../packages/archive/src/sqlite-event-store.ts';
import { openReaderDatabase, type SynchronousMode } from '../packages/archive/src/sqlite-schema.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    appenders: { type: 'string', default: '4' },
  },
});
const totalEvents = Number(args.events);
const batchSize = 400;
const namespaces = Array.from({ length: 40 }, (_, index) => `ns-${index}`);
const workspaces = Array.from({ length: 8 }, (_, index) => `ws-${index}`);
const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const weekMs = 7 * 86_400_000;
const endMs = Date.UTC(2026, 0, 8);

/** Events over one week; one in ten cluster-level, the rest spread over 40 namespaces in 8 workspaces. */
function makeBatches(count: number): ArchivedRecord[][] {
  const batches: ArchivedRecord[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const batch: ArchivedRecord[] = [];
    for (let index = start; index < Math.min(start + batchSize, count); index++) {
      const clusterLevel = index % 10 === 0;
      const namespace = clusterLevel ? '' : namespaces[index % namespaces.length]!;
      batch.push(
        sampleRecord({
          // Random like kube-apiserver's: the dedup index takes inserts all over, not only at its end.
          auditId: randomUUID(),
          received: endMs - weekMs + Math.floor((index / count) * weekMs),
          namespace,
          workspace: clusterLevel ? '' : workspaces[index % workspaces.length]!,
          resource: clusterLevel ? 'nodes' : 'configmaps',
          name: `object-${index % 1000}`,
          verb: verbs[index % verbs.length]!,
          username: `user-${index % 50}`,
          code: index % 17 === 0 ? 404 : 200,
        }),
      );
    }
    batches.push(batch);
  }
  return batches;
}

async function measureAppend(
  path: string,
  appenders: number,
  synchronous: SynchronousMode,
  batches: ArchivedRecord[][],
): Promise<Record<string, number | string>> {
  const store = await SqliteEventStore.open(path, { synchronous });
  let next = 0;
  let maxPending = 0;
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        await store.append(batch);
        maxPending = Math.max(maxPending, store.pendingEvents());
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const mainThreadBusy = performance.eventLoopUtilization(elu).utilization;
  await store.close();
  const events = batches.reduce((sum, batch) => sum + batch.length, 0);
  return {
    synchronous,
    appenders,
    events,
    seconds: round(seconds),
    eventsPerSecond: Math.round(events / seconds),
    mainThreadUtilisation: round(mainThreadBusy),
    maxPendingEvents: maxPending,
  };
}

function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

function percentiles(samples: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1)!) };
}

async function timeIt(runs: number, action: () => Promise<unknown> | unknown) {
  const samples: number[] = [];
  await action(); // warm the statement cache and the page cache
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await action();
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

const dir = mkdtempSync(join(tmpdir(), 'auditorium-archive-bench-'));
try {
  const appenders = Number(args.appenders);
  const appendResults = [];
  for (const [synchronous, count] of [
    ['NORMAL', 1],
    ['NORMAL', appenders],
    ['NORMAL', appenders * 2],
    ['FULL', appenders],
  ] as const) {
    const batches = makeBatches(totalEvents);
    const result = await measureAppend(join(dir, `append-${appendResults.length}.db`), count, synchronous, batches);
    console.log('append', result);
    appendResults.push(result);
  }

  // Query latency over the store filled by the second run (NORMAL, `appenders` senders).
  const path = join(dir, 'append-1.db');
  const store = await SqliteEventStore.open(path);
  const all: ArchiveScope = { kind: 'all' };
  const tenant: ArchiveScope = {
    kind: 'tenant',
    namespaces: [{ name: 'ns-3', sinceMs: 0 }],
    workspaces: [{ name: 'ws-5', sinceMs: endMs - weekMs / 2 }],
    clusterLevel: false,
  };
  const cases: Array<{ name: string; query: ArchiveQuery; scope: ArchiveScope }> = [
    { name: 'page of 50, namespace filter, newest first', query: { namespaces: ['ns-7'], size: 50 }, scope: all },
    {
      name: 'page of 50, namespace filter, last day',
      query: { namespaces: ['ns-7'], startTime: endMs - 86_400_000, endTime: endMs, size: 50 },
      scope: all,
    },
    { name: 'page of 50, no filter', query: { size: 50 }, scope: all },
    { name: 'page of 50, tenant scope (1 ns + 1 ws)', query: { size: 50 }, scope: tenant },
    { name: 'page of 50, user substring search', query: { userSearch: ['ER-4'], size: 50 }, scope: all },
    {
      name: 'page of 50 at offset 2000, namespace filter',
      query: { namespaces: ['ns-7'], size: 50, from: 2000 },
      scope: all,
    },
  ];
  const queryResults = [];
  const reader = new SqliteArchiveReader(openReaderDatabase(path));
  for (const { name, query, scope } of cases) {
    const condition = archiveCondition(query, scope)!;
    const total = (await store.query(query, scope)).total;
    const viaWorker = await timeIt(30, () => store.query(query, scope));
    const mainThread = await timeIt(30, () =>
      reader.query(condition, { sort: 'desc', from: query.from ?? 0, size: 50 }),
    );
    const result = { name, total, viaWorkerMs: viaWorker, sameThreadMs: mainThread };
    console.log('query', JSON.stringify(result));
    queryResults.push(result);
  }
  const aggregates = {
    statisticsAllMs: await timeIt(10, () => store.statistics({}, all)),
    statisticsNamespaceMs: await timeIt(10, () => store.statistics({ namespaces: ['ns-7'] }, all)),
    histogram15mAllMs: await timeIt(10, () => store.histogram({}, all, '15m')),
    histogram1hNamespaceMs: await timeIt(10, () => store.histogram({ namespaces: ['ns-7'] }, all, '1h')),
  };
  console.log('aggregates', aggregates);

  // Query latency while appends are running: what the console sees during ingest.
  const background = makeBatches(100_000);
  let nextBatch = 0;
  let appending = true;
  const appendersDone = Promise.all(
    Array.from({ length: appenders }, async () => {
      while (appending && nextBatch < background.length) await store.append(background[nextBatch++]!);
    }),
  );
  const duringIngest = await timeIt(30, () => store.query({ namespaces: ['ns-7'], size: 50 }, all));
  appending = false;
  await appendersDone;
  console.log('query during ingest', duringIngest);
  await store.close();

  const results = {
    node: process.version,
    cpus: (await import('node:os')).availableParallelism(),
    batchSize,
    append: appendResults,
    storedEventsForQueries: totalEvents,
    queries: queryResults,
    aggregates,
    namespacePageDuringIngestMs: duringIngest,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/archive.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
