import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type HttpBindings, type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { notFoundStatus, statusErrorHandler } from '../errors.ts';
import type { ComponentHealth } from '../health.ts';

/**
 * The receiver's own listener: intake, `/metrics`, and probes, apart from the console port so it can carry
 * its own TLS, credentials and exposure (in a cluster it is the `kube-auditing-webhook-svc` Service).
 * `/healthz` says the process serves; `/readyz` says it can take batches (configuration loaded, archive
 * open). `/liveness` and `/readiness` answer too, the paths KubeSphere's webhook Deployment probes.
 */
export interface ReceiverAppOptions {
  intake: Hono<{ Bindings: Partial<HttpBindings> }>;
  registry: Registry;
  readiness: () => ComponentHealth;
  logger: Logger;
}

export function receiverApp(options: ReceiverAppOptions) {
  const live = () => ({ state: 'ok' }) satisfies ComponentHealth;
  const ready = (c: import('hono').Context) => {
    const health = options.readiness();
    return c.json(health, health.state === 'ok' ? 200 : 503);
  };
  return new Hono<{ Bindings: Partial<HttpBindings> }>()
    .route('/', options.intake)
    .get('/metrics', async (c) => {
      c.header('Content-Type', options.registry.contentType);
      return c.body(await options.registry.metrics());
    })
    .get('/healthz', (c) => c.json(live()))
    .get('/liveness', (c) => c.json(live()))
    .get('/readyz', ready)
    .get('/readiness', ready)
    .notFound(notFoundStatus)
    .onError(
      statusErrorHandler((error, status) => {
        if (status.code >= 500) options.logger.error({ err: error }, 'receiver request failed');
      }),
    );
}

export interface ListenOptions {
  host: string;
  port: number;
  /** Absent: plain HTTP. */
  tls?: { cert: string; key: string; clientCa?: string };
}

export interface ReceiverListener {
  server: ServerType;
  /** `https://127.0.0.1:6443`, with the port actually bound (useful with port 0). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(
  app: { fetch: (request: Request, env: HttpBindings) => Response | Promise<Response> },
  options: ListenOptions,
): Promise<ReceiverListener> {
  const tls = options.tls;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve(
      {
        fetch: app.fetch as never,
        hostname: options.host,
        port: options.port,
        ...(tls
          ? {
              createServer: createHttpsServer,
              serverOptions: {
                cert: tls.cert,
                key: tls.key,
                // With a client CA, ask for a certificate but let the handler decide, so a sender without
                // one gets a 401 Status instead of a bare TLS alert it cannot explain.
                ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
              },
            }
          : {}),
      },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  // kube-apiserver's Go transport keeps idle connections for 90 s; closing ours after Node's default 5 s
  // makes it race a reused connection against our close. Stay open longer than the sender does.
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 95_000;
    server.headersTimeout = 100_000;
  }
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const httpServer = server as import('node:http').Server;
        // Idle keep-alive connections would hold close() open for up to keepAliveTimeout.
        server.close(() => resolve());
        httpServer.closeIdleConnections?.();
        const force = setTimeout(() => httpServer.closeAllConnections?.(), 5000);
        force.unref();
      }),
  };
}
