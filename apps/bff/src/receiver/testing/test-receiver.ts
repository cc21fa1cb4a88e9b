import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArchivedRecord, type EventStore, SqliteEventStore } from '@auditorium/archive';
import { receiverPath } from '@auditorium/audit-model';
import { pino } from 'pino';
import {
  type ConfigObjects,
  type ConfigSource,
  type StaticConfigSource,
  staticConfigSource,
} from '../config-source.ts';
import { type Receiver, type ReceiverOptions, startReceiver } from '../index.ts';
import { shippedConfig } from './audit-batches.ts';
import { type Answer, type SendOptions, send } from './http-client.ts';

/**
 * A real receiver for a test: real SQLite archive in a temporary directory, real TLS listener on a free
 * loopback port with a generated certificate, KubeSphere's shipped rules from a static config source.
 */
export interface TestReceiver {
  receiver: Receiver;
  store: EventStore;
  config: StaticConfigSource;
  directory: string;
  intakeUrl: string;
  /** POSTs to the intake over a keep-alive connection that trusts the receiver's CA. */
  post(body: string | Buffer | undefined, options?: SendOptions): Promise<Answer>;
  /** Audit IDs stored in the archive, out of `ids`. */
  storedIds(ids: string[]): Promise<Set<string>>;
  /** The archived records of `ids`, by audit ID. */
  storedRecords(ids: string[]): Promise<Map<string, ArchivedRecord>>;
  close(): Promise<void>;
}

export type TestReceiverOptions = Partial<Omit<ReceiverOptions, 'config' | 'store'>> & {
  configObjects?: ConfigObjects;
  /** A config source of the test's own (a cluster watch); `config` is then a static one nobody reads. */
  configSource?: ConfigSource;
  store?: EventStore;
};

async function storedRecords(store: EventStore, ids: string[]): Promise<Map<string, ArchivedRecord>> {
  const wanted = new Set(ids);
  const found = new Map<string, ArchivedRecord>();
  for await (const page of store.iterate({}, { kind: 'all' }, 5000)) {
    for (const record of page) if (wanted.has(record.event.AuditID)) found.set(record.event.AuditID, record);
  }
  return found;
}

export async function startTestReceiver(options: TestReceiverOptions = {}): Promise<TestReceiver> {
  const directory = mkdtempSync(join(tmpdir(), 'auditorium-receiver-test-'));
  const ownStore = options.store ? undefined : await SqliteEventStore.open(join(directory, 'archive.sqlite'));
  const store: EventStore = options.store ?? ownStore!;
  const config = staticConfigSource(options.configObjects ?? shippedConfig());
  const { configObjects: _, store: __, configSource, ...receiverOptions } = options;
  const receiver = await startReceiver({
    host: '127.0.0.1',
    port: 0,
    dataDir: directory,
    logger: pino({ level: 'silent' }),
    ...receiverOptions,
    store,
    config: configSource ?? config,
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
    storedIds: async (ids) => new Set((await storedRecords(store, ids)).keys()),
    storedRecords: (ids) => storedRecords(store, ids),
    async close() {
      agent.destroy();
      await receiver.close();
      await ownStore?.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
