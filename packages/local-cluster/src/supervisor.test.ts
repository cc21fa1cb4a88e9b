// Lifecycle of a cluster of its own (own data directory, ports 17444/17443), apart from the shared test cluster:
// state kept across stop/start and across a kill -9 of the supervisor, crash restarts, clear start errors.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, test } from 'vitest';
import { COMPONENT_NAMES } from './component.ts';
import { type LocalCluster, readStateFile, startLocalCluster } from './index.ts';
import { clusterLayout } from './layout.ts';
import { isAlive, livePidFromFile } from './process.ts';

const SANDBOX_PORT = 17444;
const RECEIVER_PORT = 17443;
const cliPath = fileURLToPath(new URL('./cli.ts', import.meta.url));
const dataDirs: string[] = [];

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'local-cluster-test-'));
  dataDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function start(dataDir: string): Promise<LocalCluster> {
  return startLocalCluster({ dataDir, sandboxPort: SANDBOX_PORT, receiverPort: RECEIVER_PORT });
}

function coreApi(cluster: { kubeconfigPath: string }): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  return kc.makeApiClient(CoreV1Api);
}

function childPids(dataDir: string): number[] {
  const { runDir } = clusterLayout(dataDir);
  return COMPONENT_NAMES.map((name) => livePidFromFile(join(runDir, `${name}.pid`))).filter(
    (pid): pid is number => pid !== null,
  );
}

describe('a local cluster of its own', { timeout: 180_000 }, () => {
  test('keeps a ConfigMap across stop and start of the same data directory, and starts warm in seconds', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    try {
      await coreApi(first).createNamespacedConfigMap({
        namespace: 'demo',
        body: { metadata: { name: 'kept' }, data: { answer: '42' } },
      });
    } finally {
      await first.stop();
    }
    expect(childPids(dataDir)).toEqual([]);
    expect(readStateFile(dataDir)?.components.find((c) => c.name === 'kube-apiserver')?.phase).toBe('stopped');

    const warmStart = Date.now();
    const second = await start(dataDir);
    try {
      expect(Date.now() - warmStart).toBeLessThan(30_000);
      const kept = await coreApi(second).readNamespacedConfigMap({ name: 'kept', namespace: 'demo' });
      expect(kept.data).toEqual({ answer: '42' });
      expect(second.states().every((state) => state.phase === 'ready')).toBe(true);
    } finally {
      await second.stop();
    }
  });

  test('restarts a crashed component, and restart(apiserver) brings the apiserver back', async () => {
    const dataDir = newDataDir();
    const cluster = await start(dataDir);
    try {
      const scheduler = cluster.states().find((state) => state.name === 'kube-scheduler');
      expect(scheduler?.pid).toBeDefined();
      process.kill(scheduler?.pid ?? 0, 'SIGKILL');
      await expect
        .poll(() => cluster.states().find((state) => state.name === 'kube-scheduler'), {
          timeout: 30_000,
          interval: 200,
        })
        .toMatchObject({ phase: 'ready', restarts: 1 });

      await cluster.restart('apiserver');
      expect(cluster.states().find((state) => state.name === 'kube-apiserver')?.phase).toBe('ready');
      await expect(coreApi(cluster).listNamespace()).resolves.toHaveProperty('items');
    } finally {
      await cluster.stop();
    }
  });

  test('after a kill -9 of the CLI, no component is left running, and the next start is ready with the data', async () => {
    const dataDir = newDataDir();
    const cli = spawn(process.execPath, [cliPath, 'start'], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        SANDBOX_PORT: String(SANDBOX_PORT),
        RECEIVER_PORT: String(RECEIVER_PORT),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    cli.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const layout = clusterLayout(dataDir);
    await expect.poll(() => output.join('').includes('kubeconfig:'), { timeout: 120_000, interval: 200 }).toBe(true);
    const kubeconfigPath = layout.kubeconfig;
    await coreApi({ kubeconfigPath }).createNamespacedConfigMap({
      namespace: 'demo',
      body: { metadata: { name: 'survivor' }, data: { kept: 'yes' } },
    });
    const pids = childPids(dataDir);
    expect(pids).toHaveLength(COMPONENT_NAMES.length);

    cli.kill('SIGKILL');
    await new Promise((resolve) => cli.once('exit', resolve));
    // The kernel kills the children (PR_SET_PDEATHSIG through setpriv); give it a moment.
    await expect.poll(() => pids.filter(isAlive), { timeout: 10_000, interval: 100 }).toEqual([]);

    const again = await start(dataDir);
    try {
      const survivor = await coreApi(again).readNamespacedConfigMap({ name: 'survivor', namespace: 'demo' });
      expect(survivor.data).toEqual({ kept: 'yes' });
      expect(again.states().every((state) => state.phase === 'ready')).toBe(true);
    } finally {
      await again.stop();
    }
    expect(childPids(dataDir)).toEqual([]);
    expect(existsSync(layout.supervisorPidFile)).toBe(false);
  });

  test('refuses to start when the apiserver port is taken, saying so', async () => {
    const dataDir = newDataDir();
    const blocker = createServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(SANDBOX_PORT, '127.0.0.1', resolve);
    });
    try {
      await expect(start(dataDir)).rejects.toThrow(/127\.0\.0\.1:17444 is already in use.*SANDBOX_PORT/s);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    expect(childPids(dataDir)).toEqual([]);
  });

  test('names the damaged etcd data directory when etcd cannot read it', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    await first.stop();
    const { etcdDataDir } = clusterLayout(dataDir);
    const wal = join(etcdDataDir, 'member', 'wal');
    for (const file of readdirSync(wal)) {
      const path = join(wal, file);
      const bytes = readFileSync(path);
      bytes.fill(0x5a, 0, Math.min(bytes.length, 4096));
      writeFileSync(path, bytes);
    }
    await expect(start(dataDir)).rejects.toThrow(/etcd exited during start.*remove .*cluster to start afresh/s);
    await sleep(100);
    expect(childPids(dataDir)).toEqual([]);
  });
});
