import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from './app.ts';
import { componentProbes } from './component-probes.ts';
import type { HealthReport } from './health.ts';
import { clusterAccess } from './kube/cluster-access.ts';
import { readControlPlaneHealth } from './kube/control-plane-state.ts';
import { clusterConfigSource } from './receiver/cluster-config-watch.ts';
import type { ConfigSource } from './receiver/config-source.ts';
import { testCluster, testKubeConfig } from './receiver/testing/local-cluster.ts';
import { startTestReceiver, type TestReceiver } from './receiver/testing/test-receiver.ts';

/**
 * `/api/healthz` with the probes main.ts builds, over real parts: the local cluster, a receiver whose
 * configuration is watched from the cluster's Webhook and Rule CRs, its SQLite archive. Then the same
 * with parts missing: each says why.
 */
describe('/api/healthz reports each component', () => {
  let kubeConfig: KubeConfig;
  let receiver: TestReceiver;
  let config: ConfigSource;
  let consoleDir: string;

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    consoleDir = mkdtempSync(join(tmpdir(), 'auditorium-health-'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><div id="root"></div>');
    config = clusterConfigSource(kubeConfig);
    receiver = await startTestReceiver({ configSource: config });
    await config.whenReady();
  });

  afterAll(async () => {
    await receiver?.close();
    if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
  });

  const health = async (probes: ReturnType<typeof componentProbes>) => {
    const app = createApp({ version: '9.9.9', consoleDir, probes });
    const response = await app.request('/api/healthz');
    expect(response.status).toBe(200);
    return (await response.json()) as HealthReport;
  };

  test('all parts running: every component ok, with the cluster version and the rules loaded', async () => {
    const report = await health(
      componentProbes({
        consoleDir,
        cluster: clusterAccess('local', kubeConfig),
        archive: { store: receiver.store },
        receiver: { receiver: receiver.receiver },
      }),
    );
    expect(Object.keys(report.components).sort()).toEqual(['archive', 'cluster', 'console', 'receiver', 'rules']);
    expect(report.status, JSON.stringify(report)).toBe('ok');
    expect(report.version).toBe('9.9.9');
    expect(report.components.cluster?.detail).toMatchObject({ mode: 'local', version: expect.stringMatching(/^v1\./) });
    expect(report.components.receiver?.detail).toMatchObject({ url: receiver.receiver.url });
    // The cluster's shipped Rule CRs, loaded by the receiver from the watch.
    expect(report.components.rules?.detail).toMatchObject({ failed: 0 });
    expect(report.components.rules?.detail?.active).toBeGreaterThan(0);
    expect(report.components.archive).toMatchObject({ state: 'ok', detail: { pendingEvents: 0 } });
  });

  test('parts missing: each component down with its reason, and the whole degraded', async () => {
    // A kubeconfig whose apiserver is gone: a port that was free a moment ago.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const freePort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const gone = new KubeConfig();
    gone.loadFromOptions({
      clusters: [{ name: 'gone', server: `https://127.0.0.1:${freePort}`, skipTLSVerify: false }],
      users: [{ name: 'someone', token: 'x' }],
      contexts: [{ name: 'gone', cluster: 'gone', user: 'someone' }],
      currentContext: 'gone',
    });
    const report = await health(
      componentProbes({
        consoleDir: join(consoleDir, 'not-built'),
        cluster: clusterAccess('local', gone),
        archive: { failed: 'the archive could not be opened: disk full' },
        receiver: { failed: 'the receiver did not start: port 6443 in use' },
      }),
    );
    expect(report.status).toBe('degraded');
    expect(report.components.console).toMatchObject({ state: 'down', reason: expect.stringContaining('not built') });
    expect(report.components.cluster).toMatchObject({
      state: 'down',
      reason: expect.stringMatching(/cannot be reached: .*ECONNREFUSED/),
    });
    expect(report.components.archive).toEqual({ state: 'down', reason: 'the archive could not be opened: disk full' });
    expect(report.components.receiver).toEqual({
      state: 'down',
      reason: 'the receiver did not start: port 6443 in use',
    });
    expect(report.components.rules?.state).toBe('down');
    expect(report.components.rules?.reason).toContain('port 6443 in use');
  });

  test('an https:// server that speaks plain HTTP: health and API calls say what TLS found, not "fetch failed"', async () => {
    const plain = createHttpServer((_, response) => response.end('not an apiserver'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as AddressInfo;
      const wrong = new KubeConfig();
      wrong.loadFromOptions({
        clusters: [{ name: 'wrong', server: `https://127.0.0.1:${port}`, skipTLSVerify: false }],
        users: [{ name: 'someone', token: 'x' }],
        contexts: [{ name: 'wrong', cluster: 'wrong', user: 'someone' }],
        currentContext: 'wrong',
      });
      const cluster = clusterAccess('local', wrong);
      const report = await health({
        cluster: componentProbes({ consoleDir, cluster, archive: { failed: '-' }, receiver: { failed: '-' } }).cluster!,
      });
      expect(report.components.cluster).toMatchObject({
        state: 'down',
        reason: expect.stringMatching(/cannot be reached: .*wrong version number/),
      });
      // The same failure on an API call is the cluster being unavailable (503), not an internal error.
      const app = createApp({ version: '0', consoleDir, probes: {}, cluster });
      const me = await app.request('/api/me', { headers: { Authorization: 'Bearer x' } });
      expect(me.status).toBe(503);
      expect(await me.json()).toMatchObject({
        reason: 'ServiceUnavailable',
        message: expect.stringContaining('wrong version number'),
      });
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});

/**
 * The control plane's own processes, from the state file whoever runs it keeps (CONTROL_PLANE_STATE_FILE):
 * the test cluster's real one, then files saying what a starting, failed or orphaned control plane says.
 */
describe('/api/healthz and /api/readyz report the control plane from its state file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'auditorium-state-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = async (stateFile: string) => {
    const app = createApp({
      version: '1.0.0',
      consoleDir: dir,
      probes: {},
      healthGroups: [() => readControlPlaneHealth(stateFile)],
    });
    const [healthz, readyz] = await Promise.all([app.request('/api/healthz'), app.request('/api/readyz')]);
    expect(healthz.status).toBe(200);
    return { health: (await healthz.json()) as HealthReport, readyStatus: readyz.status };
  };

  const stateFile = (components: object[], supervisorPid = process.pid) => {
    const file = join(dir, `state-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ supervisorPid, components, updatedAt: new Date().toISOString() }));
    return file;
  };
  const since = new Date().toISOString();

  test('the running test cluster: every process ready, and ready overall', async () => {
    const cluster = testCluster();
    if (cluster.external) return; // KUBECONFIG named another cluster: it publishes no state file.
    const { health, readyStatus } = await report(join(dirname(cluster.kubeconfigPath), 'state.json'));
    for (const part of [
      'build',
      'etcd',
      'kube-apiserver',
      'seed',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
    ]) {
      expect(health.components[`cluster/${part}`], part).toMatchObject({ state: 'ok', detail: { phase: 'ready' } });
    }
    expect(readyStatus).toBe(health.status === 'ok' ? 200 : 503);
  });

  test('building and failed components say so with their reason, and readyz is 503', async () => {
    const file = stateFile([
      {
        name: 'build',
        phase: 'building',
        reason: 'building the control plane once (a few minutes)',
        restarts: 0,
        since,
      },
      { name: 'etcd', phase: 'pending', restarts: 0, since },
      { name: 'kube-scheduler', phase: 'failed', reason: 'exited with code 1: bad flag', restarts: 3, since },
    ]);
    const { health, readyStatus } = await report(file);
    expect(health.status).toBe('degraded');
    expect(readyStatus).toBe(503);
    expect(health.components['cluster/build']).toMatchObject({
      state: 'starting',
      reason: 'building the control plane once (a few minutes)',
      detail: { phase: 'building' },
    });
    expect(health.components['cluster/etcd']).toMatchObject({ state: 'starting', reason: 'pending' });
    expect(health.components['cluster/kube-scheduler']).toMatchObject({
      state: 'down',
      reason: 'exited with code 1: bad flag',
      detail: { restarts: 3 },
    });
  });

  test('a supervisor that is gone turns its components down; a missing file is still starting', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const file = stateFile([{ name: 'kube-apiserver', phase: 'ready', restarts: 0, since }], Number(gone));
    const orphaned = await report(file);
    expect(orphaned.health.components['cluster/kube-apiserver']).toMatchObject({
      state: 'down',
      reason: expect.stringMatching(new RegExp(`supervisor \\(pid ${gone}\\) is not running`)),
    });
    const missing = await report(join(dir, 'never-written.json'));
    expect(missing.health.components['cluster/state']).toMatchObject({
      state: 'starting',
      reason: expect.stringContaining('does not exist yet'),
    });
    expect(missing.readyStatus).toBe(503);
  });
});
