// `npm start` when the local cluster cannot start: the console still serves, and /api/healthz gives the
// reason: from the launcher (AUDITORIUM_CLUSTER_ERROR) when the cluster failed before writing its files,
// else per component from the cluster's state file (CONTROL_PLANE_STATE_FILE).
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveKubectl } from '@auditorium/local-cluster';
import { expect, test } from 'vitest';

const launcherEntry = fileURLToPath(new URL('./main.ts', import.meta.url));

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('not listening');
  return address.port;
}

async function freePort(): Promise<number> {
  const server = await listen();
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Health {
  status: string;
  components: Record<string, { state: string; reason?: string }>;
}

interface Launched {
  port: number;
  dataDir: string;
  /** The launcher's and the server's output, stdout and stderr. */
  output: string[];
  health(): Promise<Health>;
  /**
   * SIGTERM by default; SIGKILL leaves nothing to clean up but the process itself. SIGINT goes to the whole
   * process group, the launcher and the server alike, as a terminal's Ctrl-C does.
   */
  stop(signal?: NodeJS.Signals, options?: { keepDataDir?: boolean }): Promise<void>;
  removeDataDir(): void;
}

/** `npm start`'s launcher on its own data directory and ports; the local cluster as its default target. */
async function launch(extraEnv: NodeJS.ProcessEnv, sandboxPort?: number): Promise<Launched> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'launcher-test-'));
  // npm test runs these before the console is built: the server gets a console of its own.
  const consoleDir = join(dataDir, 'console');
  mkdirSync(consoleDir);
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><div id="root"></div>');
  const launcher = spawn(process.execPath, [launcherEntry], {
    env: {
      ...process.env,
      KUBECONFIG: '',
      DATA_DIR: dataDir,
      CONSOLE_DIR: consoleDir,
      SANDBOX_PORT: String(sandboxPort ?? (await freePort())),
      RECEIVER_PORT: String(await freePort()),
      PORT: String(port),
      DEMO_RATE: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can send it Ctrl-C's group-wide SIGINT.
    detached: true,
  });
  const output: string[] = [];
  launcher.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  launcher.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise((resolve) => launcher.once('exit', resolve));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  return {
    port,
    dataDir,
    output,
    health: async () =>
      (await fetch(`http://127.0.0.1:${port}/api/healthz`)
        .then((response) => response.json() as Promise<Health>)
        .catch(() => null)) ?? { status: 'not serving', components: {} },
    async stop(signal = 'SIGTERM', options = {}) {
      if (launcher.exitCode === null && launcher.signalCode === null) {
        if (signal === 'SIGINT') process.kill(-launcher.pid!, signal);
        else launcher.kill(signal);
        await exited;
      }
      if (!options.keepDataDir) removeDataDir();
    },
    removeDataDir,
  };
}

test('the console serves and /api/healthz says why when the local cluster cannot start', {
  timeout: 90_000,
}, async () => {
  // Something else holds the apiserver's port: the cluster refuses to start, naming the port.
  const blocker = await listen();
  const sandboxPort = portOf(blocker);
  const launched = await launch({}, sandboxPort);
  try {
    await expect
      .poll(launched.health, { timeout: 60_000, interval: 250 })
      .toMatchObject({ status: 'degraded', components: { cluster: { state: 'down' } } });
    const { components } = await launched.health();
    expect(components.cluster?.reason, launched.output.join('')).toContain(
      `127.0.0.1:${sandboxPort} is already in use`,
    );
    expect(components.cluster?.reason).toContain('SANDBOX_PORT');
    expect(components.receiver?.state).toBe('down');
  } finally {
    await launched.stop();
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('a component that fails to start is named in /api/healthz with its reason, and what it held back too', {
  timeout: 90_000,
}, async () => {
  // An etcd that dies at once, as one with a damaged data directory does; the other binaries are the real ones.
  const binDir = mkdtempSync(join(tmpdir(), 'launcher-bin-'));
  writeFileSync(join(binDir, 'etcd'), '#!/bin/sh\necho "etcdmain: the data directory is damaged" >&2\nexit 1\n', {
    mode: 0o755,
  });
  const launched = await launch({ AUDITORIUM_KUBE_BIN_DIR: binDir });
  try {
    await expect
      .poll(async () => (await launched.health()).components['cluster/etcd']?.state, { timeout: 60_000, interval: 250 })
      .toBe('down');
    const { components, status } = await launched.health();
    const log = launched.output.join('');
    expect(status).toBe('degraded');
    expect(components.console?.state, log).toBe('ok');
    expect(components['cluster/build']).toMatchObject({ state: 'ok' });
    expect(components['cluster/etcd']?.reason, log).toMatch(/etcd exited during start[\s\S]*data directory is damaged/);
    expect(components['cluster/kube-apiserver']).toMatchObject({ state: 'down', reason: 'not started: etcd failed' });
    const ready = await fetch(`http://127.0.0.1:${launched.port}/api/readyz`);
    expect(ready.status).toBe(503);
  } finally {
    await launched.stop();
    rmSync(binDir, { recursive: true, force: true });
  }
});

test('the server does not outlive a launcher killed with SIGKILL', { timeout: 90_000 }, async () => {
  // No cluster needed for this: a port in use stops it, and the server starts anyway.
  const blocker = await listen();
  const launched = await launch({}, portOf(blocker));
  try {
    await expect
      .poll(async () => (await launched.health()).status, { timeout: 60_000, interval: 250 })
      .toBe('degraded');
    await launched.stop('SIGKILL');
    // Nobody sends it SIGTERM now; it notices its launcher is gone and closes its port.
    await expect
      .poll(async () => (await launched.health()).status, { timeout: 10_000, interval: 250 })
      .toBe('not serving');
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('Ctrl-C stops the cluster before the server: what the demo traffic deletes on its way out is archived, and nothing logs the cluster going away', {
  timeout: 180_000,
}, async () => {
  const launched = await launch({ DEMO_RATE: '4' });
  try {
    await expect.poll(async () => (await launched.health()).status, { timeout: 150_000, interval: 500 }).toBe('ok');
    const kubeconfig = join(launched.dataDir, 'cluster', 'kubeconfig');
    const kubectlPath = await resolveKubectl({ dataDir: launched.dataDir });
    const kubectl = (args: string[]) =>
      promisify(execFile)(kubectlPath, ['--kubeconfig', kubeconfig, '--context', 'admin', ...args]);
    // The seeded Webhook drops kube-apiserver's events (k8sAuditingEnabled: false); archive them.
    await kubectl([
      'patch',
      'webhooks.auditing.kubesphere.io',
      'kube-auditing-webhook',
      '--type=merge',
      '-p',
      '{"spec":{"k8sAuditingEnabled":true}}',
    ]);
    const archive = join(launched.dataDir, 'archive.sqlite');
    const archived = (where: string, ...values: Array<string | number>) => {
      const db = new DatabaseSync(archive, { readOnly: true });
      try {
        return (db.prepare(`SELECT count(*) AS n FROM events WHERE ${where}`).get(...values) as { n: number }).n;
      } finally {
        db.close();
      }
    };
    // The receiver takes the change within moments; until then kube-apiserver's events are dropped.
    await expect
      .poll(() => archived("source = 'kubernetes' AND verb = 'create' AND name LIKE 'demo-%'"), {
        timeout: 30_000,
        interval: 500,
      })
      .toBeGreaterThan(0);

    // The demo traffic deletes what it made once Ctrl-C stops it, and kube-apiserver sends its last batch as it
    // stops: both need the receiver still up. (The server used to stop first; its watches then logged the
    // cluster's going as an error, and the last batch raced the receiver's close.)
    const ctrlCAtUs = Date.now() * 1000;
    const outputBefore = launched.output.length;
    await launched.stop('SIGINT', { keepDataDir: true });
    const log = launched.output.join('');
    expect(
      archived("source = 'kubernetes' AND verb = 'delete' AND name LIKE 'demo-%' AND received_us >= ?", ctrlCAtUs),
      log,
    ).toBeGreaterThan(0);
    expect(launched.output.slice(outputBefore).join('')).not.toMatch(/cannot be reached|ECONNREFUSED/);
  } finally {
    await launched.stop();
  }
});
