// `npm start` when the local cluster cannot start: the console still serves, and /api/healthz gives the
// reason: from the launcher (AUDITORIUM_CLUSTER_ERROR) when the cluster failed before writing its files,
// else per component from the cluster's state file (CONTROL_PLANE_STATE_FILE).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  output: string[];
  health(): Promise<Health>;
  /** SIGTERM by default, as Ctrl-C; SIGKILL leaves nothing to clean up but the process itself. */
  stop(signal?: NodeJS.Signals): Promise<void>;
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
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output: string[] = [];
  launcher.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise((resolve) => launcher.once('exit', resolve));
  return {
    port,
    output,
    health: async () =>
      (await fetch(`http://127.0.0.1:${port}/api/healthz`)
        .then((response) => response.json() as Promise<Health>)
        .catch(() => null)) ?? { status: 'not serving', components: {} },
    async stop(signal = 'SIGTERM') {
      launcher.kill(signal);
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
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
