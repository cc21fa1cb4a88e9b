// `npm start` when the local cluster cannot start: the console still serves, and /api/healthz gives the
// cluster's reason (passed from the launcher to the server in AUDITORIUM_CLUSTER_ERROR).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

test('the console serves and /api/healthz says why when the local cluster cannot start', {
  timeout: 90_000,
}, async () => {
  // Something else holds the apiserver's port: the cluster refuses to start, naming the port.
  const blocker = await listen();
  const sandboxPort = portOf(blocker);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'launcher-test-'));
  const launcher = spawn(process.execPath, [launcherEntry], {
    env: {
      ...process.env,
      KUBECONFIG: '',
      DATA_DIR: dataDir,
      SANDBOX_PORT: String(sandboxPort),
      RECEIVER_PORT: String(await freePort()),
      PORT: String(port),
      DEMO_RATE: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output: string[] = [];
  launcher.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise((resolve) => launcher.once('exit', resolve));
  try {
    const health = async () =>
      (await fetch(`http://127.0.0.1:${port}/api/healthz`)
        .then((response) => response.json() as Promise<Health>)
        .catch(() => null)) ?? { status: 'not serving', components: {} };
    await expect
      .poll(health, { timeout: 60_000, interval: 250 })
      .toMatchObject({ status: 'degraded', components: { cluster: { state: 'down' } } });
    const { components } = await health();
    expect(components.cluster?.reason, output.join('')).toContain(`127.0.0.1:${sandboxPort} is already in use`);
    expect(components.cluster?.reason).toContain('SANDBOX_PORT');
    expect(components.receiver?.state).toBe('down');
  } finally {
    launcher.kill('SIGTERM');
    await exited;
    await new Promise((resolve) => blocker.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
