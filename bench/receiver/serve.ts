/**
 * One receiver under benchmark, in its own process so its CPU and peak RSS are its own. Started by
 * receiver.bench.ts with a JSON variant argument:
 *   full: the real receiver (TLS or plain), shipped KubeSphere rules, SQLite archive in `directory`;
 *   no-archive: the real receiver with a store that discards (diagnostic: the receiver's own cost);
 *   bare: a listener that reads each body, JSON.parses it and answers 200: the ceiling of Node + TLS + JSON.
 * Talks to the parent over IPC: sends {listening, url, ca}; on {finish} replies {maxRssMb, cpu, archivedRows}.
 */

import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { staticConfigSource } from '../../apps/bff/src/receiver/config-source.ts';
import { createReceiverLogger, startReceiver } from '../../apps/bff/src/receiver/index.ts';
import { shippedConfig } from '../../apps/bff/src/receiver/testing/audit-batches.ts';
import { loadTlsMaterial } from '../../apps/bff/src/receiver/tls-material.ts';
import type { EventStore } from '../../packages/archive/src/event-store.ts';
import { SqliteEventStore } from '../../packages/archive/src/sqlite-event-store.ts';

interface Variant {
  mode: 'full' | 'no-archive' | 'bare';
  tls: boolean;
  directory: string;
}

const variant = JSON.parse(process.argv[2] ?? '{}') as Variant;
const send = (message: unknown) => process.send?.(message);

interface Started {
  url: string;
  ca?: string;
  /** Rows in the archive (the full receiver only). */
  archivedRows?: () => Promise<number>;
  close: () => Promise<void>;
}

async function startBare(): Promise<Started> {
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  };
  const tls = variant.tls ? await loadTlsMaterial({ directory: join(variant.directory, 'receiver') }) : undefined;
  const server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 95_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    ...(tls?.ca ? { ca: tls.ca } : {}),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Accepts every append at once and keeps nothing: isolates intake, normalisation and rules from SQLite. */
function discardingStore(): EventStore {
  let stored = 0;
  return {
    append: async (records) => {
      stored += records.length;
      return { stored: records.length, duplicates: 0 };
    },
    pendingEvents: () => 0,
    query: async () => ({ total: 0, records: [] }),
    statistics: async () => ({ resources: stored, events: stored }),
    histogram: async () => ({ total: 0, buckets: [] }),
    iterate: async function* () {},
    prune: async () => 0,
    close: async () => {},
  };
}

async function startFull(): Promise<Started> {
  const store =
    variant.mode === 'no-archive'
      ? discardingStore()
      : await SqliteEventStore.open(join(variant.directory, 'archive.sqlite'));
  const receiver = await startReceiver({
    store,
    // kube-apiserver events are what is sent, so the Webhook must take them (KubeSphere's default is off).
    config: staticConfigSource(shippedConfig({ k8sAuditingEnabled: true })),
    host: '127.0.0.1',
    port: 0,
    tls: variant.tls ? {} : false,
    dataDir: variant.directory,
    logger: createReceiverLogger('warn'),
  });
  return {
    url: receiver.url,
    ...(receiver.caCertificate ? { ca: receiver.caCertificate } : {}),
    ...(variant.mode === 'full'
      ? { archivedRows: async () => (await store.statistics({}, { kind: 'all' })).events }
      : {}),
    close: async () => {
      await receiver.close();
      await store.close();
    },
  };
}

const started = variant.mode === 'bare' ? await startBare() : await startFull();
let cpuAtStart = process.cpuUsage();
send({ type: 'listening', url: started.url, ca: started.ca });

process.on('message', async (message: { type: string }) => {
  if (message.type === 'measure') {
    cpuAtStart = process.cpuUsage();
    return;
  }
  if (message.type !== 'finish') return;
  const cpu = process.cpuUsage(cpuAtStart);
  const archivedRows = await started.archivedRows?.();
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  await started.close();
  send({ type: 'finished', maxRssMb, cpuSeconds: (cpu.user + cpu.system) / 1e6, archivedRows });
  process.disconnect?.();
});
