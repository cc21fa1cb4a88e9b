// Loopback ports. The apiserver's port is the user's choice (SANDBOX_PORT); the internal ones (etcd, the
// controllers' health endpoints, kwok) are picked free on the first start and kept in run/ports.json, so that
// etcd's member keeps its peer URL, and two clusters (npm start beside npm test) never collide.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InternalPorts } from './component.ts';
import { writeFileAtomic } from './pki.ts';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Polls until the port is free or `timeoutMs` passes; says whether it became free. */
export async function waitForPortFree(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isPortFree(port)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(250);
  }
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const PORT_NAMES: readonly (keyof InternalPorts)[] = [
  'etcdClient',
  'etcdPeer',
  'controllerManager',
  'scheduler',
  'kwok',
];

/** The ports of ports.json that are still free, new free ones for the rest; saved back. */
export async function ensureInternalPorts(portsFile: string, reserved: number[]): Promise<InternalPorts> {
  let stored: Partial<InternalPorts> = {};
  if (existsSync(portsFile)) {
    try {
      stored = JSON.parse(readFileSync(portsFile, 'utf8')) as Partial<InternalPorts>;
    } catch {
      stored = {};
    }
  }
  const taken = new Set(reserved);
  const ports: Partial<InternalPorts> = {};
  for (const name of PORT_NAMES) {
    const previous = stored[name];
    let port = previous && !taken.has(previous) && (await isPortFree(previous)) ? previous : await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    ports[name] = port;
  }
  writeFileAtomic(portsFile, `${JSON.stringify(ports, null, 2)}\n`);
  return ports as InternalPorts;
}
