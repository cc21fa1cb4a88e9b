// Lifecycle of a cluster of its own (own data directory, free ports picked per run), apart from the shared test cluster:
// state kept across stop/start and across a kill -9 of the supervisor, crash restarts, clear start errors.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, describe, expect, test } from 'vitest';
import { COMPONENT_NAMES } from './component.ts';
import { type LocalCluster, readStateFile, startLocalCluster } from './index.ts';
import { clusterLayout } from './layout.ts';
import { freePort } from './ports.ts';
import { isAlive, livePidFromFile } from './process.ts';
import { startAuditReceiver } from './testing/audit-receiver.ts';

// Picked free, so that two test runs on one machine (two worktrees, npm test beside a helper's run) do not collide.
const SANDBOX_PORT = await freePort();
const RECEIVER_PORT = await freePort();
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

function customObjectsApi(cluster: { kubeconfigPath: string }): CustomObjectsApi {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  return kc.makeApiClient(CustomObjectsApi);
}

const seededWebhook = {
  group: 'auditing.kubesphere.io',
  version: 'v1alpha1',
  plural: 'webhooks',
  name: 'kube-auditing-webhook',
} as const;

function childPids(dataDir: string): number[] {
  const { runDir } = clusterLayout(dataDir);
  return COMPONENT_NAMES.map((name) => livePidFromFile(join(runDir, `${name}.pid`))).filter(
    (pid): pid is number => pid !== null,
  );
}

/** `cli.ts <args>` on `dataDir` and the test ports, its output collected. */
function runCli(dataDir: string, args: string[]) {
  const cli = spawn(process.execPath, [cliPath, ...args], {
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
  const exited = new Promise<number | null>((resolve) => cli.once('exit', (code) => resolve(code)));
  return { cli, output: () => output.join(''), exited };
}

/** Starts `cli.ts start` and waits until it prints the kubeconfig, i.e. the cluster is ready. */
async function startCli(dataDir: string) {
  const run = runCli(dataDir, ['start']);
  await expect.poll(() => run.output().includes('kubeconfig:'), { timeout: 120_000, interval: 200 }).toBe(true);
  return run;
}

/** The build, seed and control-plane components that are not ready (the KubeSphere stand-ins have tests of their own). */
function notReadyControlPlane(cluster: LocalCluster) {
  const controlPlane: readonly string[] = ['build', 'seed', ...COMPONENT_NAMES];
  return cluster.states().filter((state) => controlPlane.includes(state.name) && state.phase !== 'ready');
}

function componentPid(cluster: LocalCluster, name: string): number | undefined {
  return cluster.states().find((state) => state.name === name)?.pid;
}

describe('a local cluster of its own', { timeout: 300_000 }, () => {
  test('keeps a ConfigMap, and edits of the seeded Webhook, across stop and start of the same data directory', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    try {
      await coreApi(first).createNamespacedConfigMap({
        namespace: 'demo',
        body: { metadata: { name: 'kept' }, data: { answer: '42' } },
      });
      // The seed runs on every start; it must not put back what a user changed in the objects it created.
      await customObjectsApi(first).patchClusterCustomObject(
        { ...seededWebhook, body: { spec: { auditLevel: 'RequestResponse' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } finally {
      await first.stop();
    }
    expect(childPids(dataDir)).toEqual([]);
    expect(readStateFile(dataDir)?.components.find((c) => c.name === 'kube-apiserver')?.phase).toBe('stopped');

    const second = await start(dataDir);
    try {
      const kept = await coreApi(second).readNamespacedConfigMap({ name: 'kept', namespace: 'demo' });
      expect(kept.data).toEqual({ answer: '42' });
      const webhook = (await customObjectsApi(second).getClusterCustomObject(seededWebhook)) as {
        spec: { auditLevel: string };
      };
      expect(webhook.spec.auditLevel).toBe('RequestResponse');
      expect(notReadyControlPlane(second)).toEqual([]);
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
    const { cli, exited } = await startCli(dataDir);
    const layout = clusterLayout(dataDir);
    await coreApi({ kubeconfigPath: layout.kubeconfig }).createNamespacedConfigMap({
      namespace: 'demo',
      body: { metadata: { name: 'survivor' }, data: { kept: 'yes' } },
    });

    // `cli.ts restart apiserver` reaches the running supervisor through its control socket.
    const apiserverBefore = livePidFromFile(join(layout.runDir, 'kube-apiserver.pid'));
    const restart = runCli(dataDir, ['restart', 'apiserver']);
    expect(await restart.exited, restart.output()).toBe(0);
    expect(restart.output()).toContain('apiserver restarted and ready');
    const apiserverAfter = livePidFromFile(join(layout.runDir, 'kube-apiserver.pid'));
    expect(apiserverAfter).not.toBeNull();
    expect(apiserverAfter).not.toBe(apiserverBefore);

    const pids = childPids(dataDir);
    expect(pids).toHaveLength(COMPONENT_NAMES.length);
    cli.kill('SIGKILL');
    await exited;
    // The kernel kills the children (PR_SET_PDEATHSIG through setpriv); give it a moment.
    await expect.poll(() => pids.filter(isAlive), { timeout: 10_000, interval: 100 }).toEqual([]);

    const again = await start(dataDir);
    try {
      const survivor = await coreApi(again).readNamespacedConfigMap({ name: 'survivor', namespace: 'demo' });
      expect(survivor.data).toEqual({ kept: 'yes' });
      expect(notReadyControlPlane(again)).toEqual([]);
    } finally {
      await again.stop();
    }
    expect(childPids(dataDir)).toEqual([]);
    expect(existsSync(layout.supervisorPidFile)).toBe(false);
  });

  test('keeps its data when every process of the cluster is killed -9 at the same moment', async () => {
    const dataDir = newDataDir();
    const { cli, exited } = await startCli(dataDir);
    const core = coreApi({ kubeconfigPath: clusterLayout(dataDir).kubeconfig });
    await core.createNamespacedConfigMap({
      namespace: 'demo',
      body: { metadata: { name: 'written-just-before' }, data: { kept: 'yes' } },
    });
    const pids = [cli.pid ?? 0, ...childPids(dataDir)];
    expect(pids).toHaveLength(COMPONENT_NAMES.length + 1);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await exited;
    await expect.poll(() => pids.filter(isAlive), { timeout: 10_000, interval: 100 }).toEqual([]);

    const again = await start(dataDir);
    try {
      const kept = await coreApi(again).readNamespacedConfigMap({ name: 'written-just-before', namespace: 'demo' });
      expect(kept.data).toEqual({ kept: 'yes' });
    } finally {
      await again.stop();
    }
  });

  test('restarts kube-apiserver when the audit policy is edited, and the new policy decides the events', async () => {
    const dataDir = newDataDir();
    const cluster = await start(dataDir);
    const receiver = await startAuditReceiver({ port: RECEIVER_PORT, ...cluster.receiverTls });
    try {
      const core = coreApi(cluster);
      const configMapCreate = (name: string) =>
        receiver
          .events()
          .find(
            (event) =>
              event.verb === 'create' && event.objectRef?.resource === 'configmaps' && event.objectRef.name === name,
          );
      // The seeded policy logs configmaps outside kube-system at Metadata: no request body.
      await core.createNamespacedConfigMap({ namespace: 'demo', body: { metadata: { name: 'before-edit' } } });
      await expect
        .poll(() => configMapCreate('before-edit'), { timeout: 20_000, interval: 200 })
        .toMatchObject({
          level: 'Metadata',
        });
      expect(configMapCreate('before-edit')?.requestObject).toBeUndefined();

      const apiserverBefore = componentPid(cluster, 'kube-apiserver');
      writeFileSync(
        clusterLayout(dataDir).auditPolicy,
        [
          'apiVersion: audit.k8s.io/v1',
          'kind: Policy',
          'omitStages: [RequestReceived]',
          'rules:',
          '  - level: Request',
          '    resources: [{ group: "", resources: ["configmaps"] }]',
          '  - level: Metadata',
          '',
        ].join('\n'),
      );
      const restartedAndReady = () => {
        const apiserver = cluster.states().find((state) => state.name === 'kube-apiserver');
        return apiserver?.phase === 'ready' && apiserver.pid !== apiserverBefore;
      };
      await expect.poll(restartedAndReady, { timeout: 60_000, interval: 200 }).toBe(true);

      await core.createNamespacedConfigMap({ namespace: 'demo', body: { metadata: { name: 'after-edit' } } });
      await expect
        .poll(() => configMapCreate('after-edit'), { timeout: 20_000, interval: 200 })
        .toMatchObject({
          level: 'Request',
          requestObject: { kind: 'ConfigMap', metadata: { name: 'after-edit' } },
        });
    } finally {
      await receiver.close();
      await cluster.stop();
    }
  });

  test('refuses to start when the apiserver port is taken, saying so', async () => {
    const dataDir = newDataDir();
    const blocker = createServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(SANDBOX_PORT, '127.0.0.1', resolve);
    });
    try {
      await expect(start(dataDir)).rejects.toThrow(
        new RegExp(`127\\.0\\.0\\.1:${SANDBOX_PORT} is already in use.*SANDBOX_PORT`, 's'),
      );
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
