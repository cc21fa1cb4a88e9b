import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@auditorium/archive';
import { receiverPath } from '@auditorium/audit-model';
import { pino } from 'pino';
import { type ConfigObjects, type StaticConfigSource, staticConfigSource } from '../config-source.ts';
import { type Receiver, type ReceiverOptions, startReceiver } from '../index.ts';
import { shippedConfig } from './audit-batches.ts';
import { type Answer, type SendOptions, send } from './http-client.ts';

/**
 * A real receiver for a test: real SQLite archive in a temporary directory, real TLS listener on a free
 * loopback port with a generated certificate, KubeSphere's shipped rules from a static config source.
 */
export interface TestReceiver {
  receiver: Receiver;
  store: SqliteEventStore;
  config: StaticConfigSource;
  directory: string;
  intakeUrl: string;
  /** POSTs to the intake over a keep-alive connection that trusts the receiver's CA. */
  post(body: string | Buffer | undefined, options?: SendOptions): Promise<Answer>;
  /** Audit IDs stored in the archive, out of `ids`. */
  storedIds(ids: string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

export type TestReceiverOptions = Partial<Omit<ReceiverOptions, 'config' | 'store'>> & {
  configObjects?: ConfigObjects;
  store?: SqliteEventStore;
};

export async function startTestReceiver(options: TestReceiverOptions = {}): Promise<TestReceiver> {
  const directory = mkdtempSync(join(tmpdir(), 'auditorium-receiver-test-'));
  const store = options.store ?? (await SqliteEventStore.open(join(directory, 'archive.sqlite')));
  const config = staticConfigSource(options.configObjects ?? shippedConfig());
  const { configObjects: _, store: __, ...receiverOptions } = options;
  const receiver = await startReceiver({
    host: '127.0.0.1',
    port: 0,
    dataDir: directory,
    logger: pino({ level: 'silent' }),
    ...receiverOptions,
    store,
    config,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const intakeUrl = `${receiver.url}${receiverPath}`;
  return {
    receiver,
    store,
    config,
    directory,
    intakeUrl,
    post: (body, sendOptions = {}) =>
      send(intakeUrl, body, {
        ...(receiver.caCertificate ? { ca: receiver.caCertificate, agent } : {}),
        ...sendOptions,
      }),
    async storedIds(ids) {
      const found = new Set<string>();
      for await (const page of store.iterate({}, { kind: 'all' }, 5000)) {
        for (const record of page) found.add(record.event.AuditID);
      }
      return new Set(ids.filter((id) => found.has(id)));
    },
    async close() {
      agent.destroy();
      await receiver.close();
      if (!options.store) await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
