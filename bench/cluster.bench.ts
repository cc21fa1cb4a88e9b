/**
 * Local cluster benchmark: the build (timed when this machine has none; otherwise the cached build's own record),
 * the start to Ready of a fresh data directory and of a warm one, `npm start`'s launcher to a serving console on a
 * Ready cluster, and each component's resident memory at idle. Writes bench/results/cluster.json.
 *
 *   node bench/cluster.bench.ts [--warm-starts 3] [--settle-seconds 30] [--rebuild]
 *
 * Ports are picked free, data directories are temporary: it runs beside `npm start` and `npm test`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { buildCacheDir, ensureBuilt, findGo, isBuilt, readBuildRecord } from '../packages/local-cluster/src/build.ts';
import { type LocalCluster, startLocalCluster } from '../packages/local-cluster/src/index.ts';
import { freePort } from '../packages/local-cluster/src/ports.ts';
import { startAuditReceiver } from '../packages/local-cluster/src/testing/audit-receiver.ts';
import { KUBERNETES_VERSION } from '../packages/local-cluster/src/versions.ts';

const { values: args } = parseArgs({
  options: {
    'warm-starts': { type: 'string', default: '3' },
    'settle-seconds': { type: 'string', default: '30' },
    // Also build into a scratch cache directory: what a second clone or a version's rebuild costs once Go's own
    // module and build caches are warm (mostly link steps).
    rebuild: { type: 'boolean', default: false },
  },
});
const warmStarts = Number(args['warm-starts']);
const settleMs = Number(args['settle-seconds']) * 1000;
const launcherEntry = new URL('../apps/launcher/src/main.ts', import.meta.url).pathname;

function say(line: string): void {
  process.stderr.write(`cluster bench: ${line}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `du -sb` of a directory in MiB, or null when it is missing. */
function diskMiB(dir: string): number | null {
  const du = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  if (du.status !== 0) return null;
  return Math.round(Number(du.stdout.split('\t')[0]) / 1024 / 1024);
}

/** VmRSS of a process from /proc, in MiB. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kB / 1024) * 10) / 10;
}

async function timedStart(dataDir: string, sandboxPort: number, receiverPort: number) {
  const started = performance.now();
  const cluster = await startLocalCluster({ dataDir, sandboxPort, receiverPort });
  return { cluster, ms: Math.round(performance.now() - started) };
}

async function timedStop(cluster: LocalCluster): Promise<number> {
  const started = performance.now();
  await cluster.stop();
  return Math.round(performance.now() - started);
}

/**
 * The launcher (`npm start` after its toolchain step): when /api/healthz first says the cluster is ok, and when
 * /api/readyz first answers 200 (every component ready, the local cluster's own and the receiver's rules loaded).
 */
async function launcherToServing(
  dataDir: string,
  sandboxPort: number,
  receiverPort: number,
): Promise<{ clusterReadyMs: number | null; servingMs: number; readyzMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const launcher = spawn(process.execPath, [launcherEntry], {
    env: {
      ...process.env,
      KUBECONFIG: '',
      DATA_DIR: dataDir,
      SANDBOX_PORT: String(sandboxPort),
      RECEIVER_PORT: String(receiverPort),
      PORT: String(port),
      DEMO_RATE: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output: string[] = [];
  let clusterReadyMs: number | null = null;
  let servingMs: number | null = null;
  launcher.stderr.on('data', (chunk: Buffer) => {
    output.push(chunk.toString());
    if (clusterReadyMs === null && output.join('').includes('local cluster ready')) {
      clusterReadyMs = Math.round(performance.now() - started);
    }
  });
  const exited = new Promise<void>((resolve) => launcher.once('exit', () => resolve()));
  try {
    for (;;) {
      if (launcher.exitCode !== null) throw new Error(`the launcher exited: ${output.join('').slice(-2000)}`);
      if (performance.now() - started > 120_000) throw new Error('the launcher did not serve within 120 s');
      const ready = await fetch(`http://127.0.0.1:${port}/api/readyz`)
        .then(async (response) => ({
          ok: response.status === 200,
          health: (await response.json()) as { components?: { cluster?: { state?: string } } },
        }))
        .catch(() => null);
      if (servingMs === null && ready?.health.components?.cluster?.state === 'ok') {
        servingMs = Math.round(performance.now() - started);
      }
      if (ready?.ok) {
        return { clusterReadyMs, servingMs: servingMs ?? 0, readyzMs: Math.round(performance.now() - started) };
      }
      await sleep(100);
    }
  } finally {
    launcher.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000).then(() => launcher.kill('SIGKILL'))]);
    await exited;
  }
}

const { go, version: goVersion } = (() => {
  try {
    return findGo();
  } catch {
    return { go: null, version: null };
  }
})();

// The build: timed here only when this machine has none yet (it then takes minutes and is the "cold build").
let build: Record<string, unknown>;
if (isBuilt()) {
  const record = readBuildRecord();
  build = {
    cached: true,
    cacheDir: buildCacheDir(),
    recordedSeconds: record?.seconds ?? null,
    recordedStepSeconds: record?.stepSeconds ?? null,
    recordedAt: record?.builtAt ?? null,
  };
  say(`binaries cached in ${buildCacheDir()}${record ? ` (built in ${record.seconds.toFixed(0)} s)` : ''}`);
} else {
  say(`building Kubernetes ${KUBERNETES_VERSION} (this machine has no build yet)`);
  const started = performance.now();
  await ensureBuilt({ log: say });
  build = { cached: false, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

if (args.rebuild) {
  const scratchCache = mkdtempSync(join(tmpdir(), 'cluster-bench-cache-'));
  try {
    say('rebuilding into a scratch cache with Go caches warm');
    // Go's build cache defaults to $XDG_CACHE_HOME/go-build: keep it where it is, or this is a cold compile.
    const goCache = go ? spawnSync(go, ['env', 'GOCACHE'], { encoding: 'utf8' }).stdout.trim() : '';
    const env = { ...process.env, XDG_CACHE_HOME: scratchCache, ...(goCache ? { GOCACHE: goCache } : {}) };
    const started = performance.now();
    await ensureBuilt({ env, log: say });
    build.rebuildWithWarmGoCacheSeconds = Math.round((performance.now() - started) / 100) / 10;
    build.rebuildStepSeconds = readBuildRecord(env)?.stepSeconds ?? null;
  } finally {
    rmSync(scratchCache, { recursive: true, force: true });
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'cluster-bench-'));
const sandboxPort = await freePort();
const receiverPort = await freePort();
// A sink on the receiver port, so kube-apiserver's audit webhook delivers as it does beside the real receiver.
let receiver: Awaited<ReturnType<typeof startAuditReceiver>> | undefined;
try {
  say('fresh data directory: first start (certificates, etcd, seed)');
  const first = await timedStart(dataDir, sandboxPort, receiverPort);
  receiver = await startAuditReceiver({ port: receiverPort, ...first.cluster.receiverTls });
  say(`  ready in ${first.ms} ms`);
  const firstStopMs = await timedStop(first.cluster);

  const warm: number[] = [];
  const stops: number[] = [firstStopMs];
  let idle: Record<string, number> = {};
  for (let run = 0; run < warmStarts; run++) {
    const start = await timedStart(dataDir, sandboxPort, receiverPort);
    warm.push(start.ms);
    say(`warm start ${run + 1}/${warmStarts}: ready in ${start.ms} ms`);
    if (run === warmStarts - 1) {
      say(`idle for ${settleMs / 1000} s, then reading each component's RSS`);
      await sleep(settleMs);
      idle = Object.fromEntries(
        start.cluster
          .states()
          .filter((state) => state.pid !== undefined)
          .map((state) => [state.name, rssMiB(state.pid!)]),
      );
      say(`  ${JSON.stringify(idle)}`);
    }
    stops.push(await timedStop(start.cluster));
  }

  // The launcher's server runs the real receiver on that port.
  await receiver.close();
  receiver = undefined;
  say('launcher (npm start) to a serving console on the warm cluster');
  const launcher = await launcherToServing(dataDir, sandboxPort, receiverPort);
  say(
    `  cluster ready after ${launcher.clusterReadyMs} ms, serving with the cluster ok after ${launcher.servingMs} ms, readyz 200 after ${launcher.readyzMs} ms`,
  );

  const results = {
    node: process.version,
    cpus: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    kubernetes: KUBERNETES_VERSION,
    go: goVersion ? { path: go, version: goVersion } : null,
    build,
    diskMiB: {
      kubeCache: diskMiB(buildCacheDir()),
      goModuleCache: diskMiB(join(homedir(), 'go', 'pkg', 'mod')),
      goBuildCache: diskMiB(join(homedir(), '.cache', 'go-build')),
    },
    freshDataDirStartToReadyMs: first.ms,
    warmStartToReadyMs: { median: median(warm), runs: warm },
    // From spawning apps/launcher (what `npm start` runs once its toolchain is in place) on the warm data directory.
    launcherWarm: {
      toClusterReadyMs: launcher.clusterReadyMs,
      toServingWithClusterOkMs: launcher.servingMs,
      toReadyzMs: launcher.readyzMs,
    },
    stopMs: { median: median(stops), runs: stops },
    idleRssMiB: {
      ...idle,
      total: Math.round(Object.values(idle).reduce((sum, value) => sum + value, 0) * 10) / 10,
      afterSeconds: settleMs / 1000,
    },
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/cluster.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
}
