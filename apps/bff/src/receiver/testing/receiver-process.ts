/**
 * A receiver as its own process, for the kill -9 test: SQLite archive at argv[2], plain HTTP on a free
 * loopback port, KubeSphere's shipped rules taking kube-apiserver events. Prints one JSON line
 * `{"url": …}` on stdout once it listens, then serves until it is killed.
 */
import { SqliteEventStore } from '@auditorium/archive';
import { pino } from 'pino';
import { staticConfigSource } from '../config-source.ts';
import { startReceiver } from '../index.ts';
import { shippedConfig } from './audit-batches.ts';

const archivePath = process.argv[2];
if (!archivePath) throw new Error('usage: receiver-process.ts <archive.sqlite>');
const store = await SqliteEventStore.open(archivePath);
const receiver = await startReceiver({
  store,
  config: staticConfigSource(shippedConfig({ k8sAuditingEnabled: true })),
  host: '127.0.0.1',
  port: 0,
  tls: false,
  logger: pino({ level: 'warn' }, pino.destination(2)),
});
process.stdout.write(`${JSON.stringify({ url: receiver.url })}\n`);
