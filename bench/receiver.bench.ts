/**
 * Receiver benchmark: audit batches through intake → normalise → KubeSphere's shipped rules → SQLite
 * archive, the way kube-apiserver delivers them (batches of 400 Metadata-level events, several concurrent
 * POSTs over keep-alive TLS), against a bare receiver that only reads and JSON.parses the same bodies, in
 * the same run on the same machine. Writes bench/results/receiver.json.
 *
 *   node bench/receiver.bench.ts [--seconds 10] [--warmup 2] [--senders 4] [--batch 400] [--tls-only] [--profile]
 *
 * Each receiver runs in a child process (bench/receiver/serve.ts), so its CPU time and peak RSS are its
 * own; this process is the sender. Zero loss: every acknowledged event must be a row in the archive.
 * Every event is archivable (create/update/patch/delete), the worst case for the archive.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { capturedKubernetesEvents, kubernetesBatch } from '../apps/bff/src/receiver/testing/audit-batches.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    senders: { type: 'string', default: '4' },
    batch: { type: 'string', default: '400' },
    'tls-only': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const senders = Number(args.senders);
const batchSize = Number(args.batch);

/**
 * One batch body with a placeholder the sender swaps for a fresh batch ID, so every event is unique. The
 * events are the real kubectl create/patch/delete events captured from the local cluster's kube-apiserver
 * (apps/bff/testdata), spread over namespaces and names, with the send time's timestamps; every one is
 * archivable, the archive's worst case.
 */
function batchTemplate(): string {
  const writes = capturedKubernetesEvents().filter((event) => event.verb !== 'get');
  const events = Array.from({ length: batchSize }, (_, index) => {
    const event = structuredClone(writes[index % writes.length]!);
    const objectRef = event.objectRef as Record<string, unknown>;
    objectRef.namespace = `team-${index % 20}`;
    objectRef.name = `object-${index}`;
    event.auditID = `@@BATCH@@-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
    // Each batch is stamped with the millisecond it is sent in, event i at microsecond i of it, as
    // kube-apiserver's times run on: replayed capture-day times would have every batch land in the same few
    // spots of the time-ordered dedup index (a worst case no real sender produces) and be older than the
    // 7-day retention, so the archive would prune them as they arrive.
    const micros = String(index % 1000).padStart(3, '0');
    event.requestReceivedTimestamp = `@@MILLIS@@${micros}Z`;
    event.stageTimestamp = `@@MILLIS@@${micros}Z`;
    return event;
  });
  return kubernetesBatch(events);
}

interface VariantResult {
  name: string;
  eventsPerSecond: number;
  batchesPerSecond: number;
  ackLatencyMs: { p50: number; p99: number; max: number };
  peakRssMb: number;
  receiverCpuCoresUsed: number;
  /**
   * Events per second of the receiver's own CPU time (all its threads): what it costs per event, which
   * holds up better than events/s when other programs share the cores.
   */
  eventsPerCpuSecond: number;
  ackedEvents: number;
  archivedRows?: number;
  lostEvents?: number;
  rejected: Record<string, number>;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

async function runVariant(
  mode: 'full' | 'no-archive' | 'bare',
  tls: boolean,
  template: string,
): Promise<VariantResult> {
  const name = `${mode}-${tls ? 'tls' : 'http'}`;
  const directory = mkdtempSync(join(tmpdir(), `auditorium-bench-${name}-`));
  const execArgv = args.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${join(process.cwd(), 'bench/results/profiles')}`]
    : [];
  const child = fork(new URL('./receiver/serve.ts', import.meta.url), [JSON.stringify({ mode, tls, directory })], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const nextMessage = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${name} receiver exited (${code}) before ${type}`)));
    });
  const { url, ca } = await nextMessage<{ url: string; ca?: string }>('listening');
  const intake = `${url}/audit/webhook/event`;
  const agent = tls
    ? new HttpsAgent({ keepAlive: true, maxSockets: senders, ...(ca ? { ca } : {}) })
    : new HttpAgent({ keepAlive: true, maxSockets: senders });
  const request = tls ? httpsRequest : httpRequest;

  const post = (body: string) =>
    new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
      const outgoing = request(
        intake,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              ...(response.headers['retry-after'] ? { retryAfter: String(response.headers['retry-after']) } : {}),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const prefix = randomBytes(2).toString('hex');
  let batchCounter = 0;
  let ackedEvents = 0;
  let measuredEvents = 0;
  let measuredBatches = 0;
  const latencies: number[] = [];
  const rejected: Record<string, number> = {};
  const startedAt = performance.now();
  const measureFrom = startedAt + warmupSeconds * 1000;
  const endAt = measureFrom + seconds * 1000;
  let measuring = false;

  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (performance.now() < endAt) {
        if (!measuring && performance.now() >= measureFrom) {
          measuring = true;
          child.send({ type: 'measure' });
        }
        const batchId = `${prefix}${(batchCounter++).toString(16).padStart(4, '0')}`;
        const millis = new Date().toISOString().slice(0, 23);
        const body = template.replaceAll('@@BATCH@@', batchId).replaceAll('@@MILLIS@@', millis);
        const sentAt = performance.now();
        const answer = await post(body);
        const doneAt = performance.now();
        if (answer.status === 200) {
          ackedEvents += batchSize;
          if (sentAt >= measureFrom && doneAt <= endAt) {
            measuredEvents += batchSize;
            measuredBatches += 1;
            latencies.push(doneAt - sentAt);
          }
        } else {
          rejected[answer.status] = (rejected[answer.status] ?? 0) + 1;
          // 429/503 carry Retry-After, as kube-apiserver's client-go honours it.
          if (answer.retryAfter) await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter) * 1000));
        }
      }
    }),
  );
  agent.destroy();
  const window = seconds; // batches counted only when sent and acknowledged inside the window
  child.send({ type: 'finish' });
  const finished = await nextMessage<{ maxRssMb: number; cpuSeconds: number; archivedRows?: number }>('finished');
  rmSync(directory, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    name,
    eventsPerSecond: Math.round(measuredEvents / window),
    batchesPerSecond: round(measuredBatches / window),
    ackLatencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? 0),
    },
    peakRssMb: finished.maxRssMb,
    receiverCpuCoresUsed: round(finished.cpuSeconds / window),
    eventsPerCpuSecond: finished.cpuSeconds > 0 ? Math.round(measuredEvents / finished.cpuSeconds) : 0,
    ackedEvents,
    ...(finished.archivedRows !== undefined
      ? { archivedRows: finished.archivedRows, lostEvents: ackedEvents - finished.archivedRows }
      : {}),
    rejected,
  };
}

const template = batchTemplate();
// The cores are shared with whatever else runs; the load average says how much, next to the figures.
const loadBefore = loadavg().map((value) => Math.round(value * 100) / 100);
const variants: VariantResult[] = [];
for (const tls of !args['tls-only'] ? [true, false] : [true]) {
  for (const mode of ['full', 'no-archive', 'bare'] as const) {
    const result = await runVariant(mode, tls, template);
    process.stderr.write(
      `receiver bench: ${result.name}: ${result.eventsPerSecond} events/s (${result.eventsPerCpuSecond} per CPU-second), ack p50 ${result.ackLatencyMs.p50} ms p99 ${result.ackLatencyMs.p99} ms, peak RSS ${result.peakRssMb} MB${result.lostEvents !== undefined ? `, lost ${result.lostEvents}` : ''}\n`,
    );
    variants.push(result);
  }
}

const byName = Object.fromEntries(variants.map((variant) => [variant.name, variant]));
const ratio = (transport: string, mode = 'full') => {
  const measured = byName[`${mode}-${transport}`];
  const bare = byName[`bare-${transport}`];
  return measured && bare ? Math.round((measured.eventsPerSecond / bare.eventsPerSecond) * 100) / 100 : undefined;
};
const fullTls = byName['full-tls']!;
const results = {
  benchmark: 'receiver',
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  /** 1/5/15-minute load averages before and after the run: above the core count, others took CPU. */
  loadAverage: { before: loadBefore, after: loadavg().map((value) => Math.round(value * 100) / 100) },
  setup: {
    batchSize,
    bodyBytes: Buffer.byteLength(template),
    senders,
    seconds,
    warmupSeconds,
    events: 'kube-apiserver v1.36.3 Metadata events (captured kubectl create/patch/delete), all archivable',
    rules: 'KubeSphere 3.4.1 shipped archiving-rule + alerting-rule',
    archive: 'SQLite (WAL, synchronous NORMAL) in a temporary directory',
  },
  variants,
  ratioToBare: { tls: ratio('tls'), ...(!args['tls-only'] ? { http: ratio('http') } : {}) },
  /**
   * Diagnostic: events per receiver CPU-second against bare's, i.e. the cost per event relative to bare;
   * other programs on the cores skew it far less than they skew events/s.
   */
  cpuEfficiencyToBare: Object.fromEntries(
    (!args['tls-only'] ? ['tls', 'http'] : ['tls']).map((transport) => {
      const full = byName[`full-${transport}`];
      const bare = byName[`bare-${transport}`];
      return [
        transport,
        full && bare && bare.eventsPerCpuSecond > 0
          ? Math.round((full.eventsPerCpuSecond / bare.eventsPerCpuSecond) * 100) / 100
          : undefined,
      ];
    }),
  ),
  /** Diagnostic: the receiver with a discarding store, i.e. everything but SQLite, against bare. */
  noArchiveRatioToBare: {
    tls: ratio('tls', 'no-archive'),
    ...(!args['tls-only'] ? { http: ratio('http', 'no-archive') } : {}),
  },
  targets: {
    eventsPerSecond: { wanted: 25_000, actual: fullTls.eventsPerSecond, met: fullTls.eventsPerSecond >= 25_000 },
    ratioToBare: { wanted: 0.5, actual: ratio('tls'), met: (ratio('tls') ?? 0) >= 0.5 },
    zeroLoss: {
      met: variants.every((variant) => !variant.name.startsWith('full') || variant.lostEvents === 0),
    },
  },
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/receiver.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
process.stderr.write(`receiver bench: ratio to bare ${JSON.stringify(results.ratioToBare)}\n`);
