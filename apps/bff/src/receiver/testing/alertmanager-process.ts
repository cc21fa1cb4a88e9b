import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real Alertmanager (Debian's `prometheus-alertmanager`) for alert tests: free loopback port, minimal
 * config, its own storage directory, clustering off. `npm test` installs the package when it is missing.
 */
export const alertmanagerBinary = process.env.ALERTMANAGER_BINARY ?? '/usr/bin/prometheus-alertmanager';

export interface AlertmanagerProcess {
  url: string;
  /** `GET /api/v2/alerts`: what Alertmanager holds now. */
  alerts(): Promise<Array<{ labels: Record<string, string>; annotations: Record<string, string> }>>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startAlertmanager(): Promise<AlertmanagerProcess> {
  if (!existsSync(alertmanagerBinary)) {
    throw new Error(
      `${alertmanagerBinary} is missing: sudo apt-get install -y prometheus-alertmanager (npm test does this)`,
    );
  }
  const directory = mkdtempSync(join(tmpdir(), 'auditorium-alertmanager-'));
  const config = join(directory, 'alertmanager.yml');
  writeFileSync(config, 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    alertmanagerBinary,
    [
      `--config.file=${config}`,
      `--storage.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(directory, { recursive: true, force: true });
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`alertmanager exited with ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager was not ready within 20 s:\n${output}`);
    }
    await sleep(100);
  }
  return {
    url,
    alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as never,
    stop,
  };
}
