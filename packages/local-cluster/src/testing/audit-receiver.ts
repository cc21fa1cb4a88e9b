// A bare HTTPS endpoint on a cluster's receiver port that records what kube-apiserver's audit webhook posts,
// for tests of the cluster's own auditing (the product's receiver, in apps/bff, has tests of its own).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIT_WEBHOOK_PATH } from '../audit-files.ts';

export interface AuditEvent {
  level: string;
  stage: string;
  verb: string;
  user: { username: string };
  userAgent?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string };
  requestObject?: unknown;
  responseObject?: unknown;
}

export interface Delivery {
  contentType: string | undefined;
  body: { kind: string; apiVersion: string; items: AuditEvent[] };
}

export interface AuditReceiver {
  deliveries: Delivery[];
  /** Every event delivered so far, in order of arrival. */
  events(): AuditEvent[];
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port` with the receiver's serving pair (the one the apiserver's webhook file trusts).
 * Waits up to a minute for the port: another test file may hold it for a moment.
 */
export async function startAuditReceiver(options: {
  port: number;
  certFile: string;
  keyFile: string;
}): Promise<AuditReceiver> {
  const deliveries: Delivery[] = [];
  const server = createServer(
    { cert: readFileSync(options.certFile), key: readFileSync(options.keyFile) },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        // kube-apiserver appends ?timeout=30s (its webhook client's request timeout) to the configured URL.
        const path = new URL(req.url ?? '/', 'https://receiver').pathname;
        if (req.method === 'POST' && path === AUDIT_WEBHOOK_PATH) {
          deliveries.push({
            contentType: req.headers['content-type'],
            body: JSON.parse(Buffer.concat(chunks).toString()),
          });
        }
        res.writeHead(200).end();
      });
    },
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(options.port, '127.0.0.1', () => resolve(null));
    });
    if (!error) break;
    if (error.code !== 'EADDRINUSE' || Date.now() > deadline) throw error;
    await sleep(500);
  }
  return {
    deliveries,
    events: () => deliveries.flatMap((delivery) => delivery.body.items),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
