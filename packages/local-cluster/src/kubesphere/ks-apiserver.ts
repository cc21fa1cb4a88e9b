// The ks-apiserver stand-in's HTTPS server: what KubeSphere's API server does for auditing, in front of the local
// kube-apiserver. Kubernetes requests (/api, /apis) are proxied with the caller's own bearer token, so the caller's
// RBAC decides; a few of KubeSphere's own /kapis requests are served here. Each request is audited as
// ks-apiserver's filter chain does (reference §6.2): authentication → authorization → auditing → handler, so a
// request that fails authentication or authorization is answered but never audited; with `auditing.enable: false`
// read at start there is no auditing at all; the Webhook's auditLevel and k8sAuditingEnabled are read live; dry
// runs are skipped.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, createServer, request as httpsRequest, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { type AuditLevel, auditLevelRank, type UserInfo, workspaceLabel } from '@auditorium/audit-model';
import { AuthenticationV1Api, CoreV1Api, type KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import { clientConfig } from '../kubeconfig.ts';
import { errorText } from '../seed.ts';
import type { EventSender } from './event-sender.ts';
import { completeEvent, type KubeSphereEvent, nowMicros, sourceIp, startEvent } from './kubesphere-event.ts';
import { type RequestInfo, requestInfo } from './request-info.ts';
import type { WebhookAuditPolicy } from './webhook-audit-policy.ts';

export interface KsApiserverOptions {
  /** kube-apiserver, e.g. https://127.0.0.1:6444. */
  upstream: string;
  /** The cluster CA (kube-apiserver's serving certificate is signed by it). */
  caPem: string;
  /** ks-apiserver's own identity, for TokenReviews. */
  kubeConfig: KubeConfig;
  tls: { certPem: string; keyPem: string };
  /** Null when kubesphere.yaml had `auditing.enable` off at start: the auditing filter is not installed. */
  sender: EventSender | null;
  /** The Webhook's live settings. */
  auditPolicy: () => WebhookAuditPolicy;
  log: (line: string) => void;
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** How much of a response is kept for ResponseObject (RequestResponse level); larger ones are left out. */
const MAX_CAPTURE_BYTES = 1024 * 1024;
const TOKEN_CACHE_MS = 60_000;
// Passed through so kubectl works against the stand-in (discovery, version, OpenAPI), but not Kubernetes API
// requests in ks-apiserver's sense, so not audited.
const UNAUDITED_PASSTHROUGH = [/^\/version\/?$/, /^\/openapi(\/|$)/];
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
]);

interface Caller {
  token: string;
  user: UserInfo;
}

class HttpError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

function sendJson(res: ServerResponse, code: number, body: string): Buffer {
  const bytes = Buffer.from(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
  return bytes;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'RequestEntityTooLarge', `the request body is over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forwardedHeaders(req: IncomingMessage, keepUpgrade: boolean): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) && !(keepUpgrade && (name === 'connection' || name === 'upgrade'))) continue;
    headers[name] = value;
  }
  const peer = req.socket.remoteAddress ?? '';
  const previous = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = previous ? `${previous}, ${peer}` : peer;
  return headers;
}

export class KsApiserver {
  readonly options: KsApiserverOptions;
  readonly server: Server;
  #upstream: URL;
  #agent: Agent;
  #authentication: AuthenticationV1Api;
  #tokenCache = new Map<string, { user: UserInfo; until: number }>();

  constructor(options: KsApiserverOptions) {
    this.options = options;
    this.#upstream = new URL(options.upstream);
    this.#agent = new Agent({ keepAlive: true, ca: options.caPem });
    this.#authentication = options.kubeConfig.makeApiClient(AuthenticationV1Api);
    this.server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
      this.#handle(req, res).catch((error: unknown) => this.#fail(res, error));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#handleUpgrade(req, socket, head).catch((error: unknown) => {
        const code = error instanceof HttpError ? error.code : 500;
        socket.end(`HTTP/1.1 ${code} ${error instanceof HttpError ? error.reason : 'InternalError'}\r\n\r\n`);
      });
    });
  }

  listen(port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      // Watches and exec sessions would hold the close forever.
      setTimeout(() => this.server.closeAllConnections(), 500).unref();
    });
    this.#agent.destroy();
  }

  #fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      sendJson(res, error.code, statusBody(error.code, error.reason, error.message));
      return;
    }
    this.options.log(`request failed: ${errorText(error)}`);
    sendJson(res, 500, statusBody(500, 'InternalError', errorText(error)));
  }

  /** The caller, from a TokenReview of their bearer token (cached for a minute). */
  async #authenticate(req: IncomingMessage): Promise<Caller> {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw new HttpError(401, 'Unauthorized', 'a bearer token is required');
    const cached = this.#tokenCache.get(token);
    if (cached && cached.until > Date.now()) return { token, user: cached.user };
    const review = await this.#authentication.createTokenReview({ body: { spec: { token } } });
    if (!review.status?.authenticated || !review.status.user?.username) {
      throw new HttpError(401, 'Unauthorized', review.status?.error || 'the bearer token is not valid');
    }
    const { username, uid, groups, extra } = review.status.user;
    const user: UserInfo = {
      username,
      ...(uid ? { uid } : {}),
      ...(groups?.length ? { groups } : {}),
      ...(extra && Object.keys(extra).length ? { extra } : {}),
    };
    this.#tokenCache.set(token, { user, until: Date.now() + TOKEN_CACHE_MS });
    return { token, user };
  }

  /** The audit level for this request, or null when ks-apiserver would not audit it (reference §6.2). */
  #auditLevelFor(info: RequestInfo): AuditLevel | null {
    if (!this.options.sender) return null;
    const policy = this.options.auditPolicy();
    if (auditLevelRank(policy.level) < auditLevelRank('Metadata')) return null;
    if (info.isKubernetesRequest && policy.k8sAuditingEnabled) return null;
    if (info.isKubernetesRequest && info.dryRun) return null;
    return policy.level;
  }

  #startEvent(req: IncomingMessage, url: URL, info: RequestInfo, caller: Caller, level: AuditLevel, body?: Buffer) {
    return startEvent({
      info,
      level,
      requestPath: url.pathname,
      user: caller.user,
      sourceIp: sourceIp(req.headers, req.socket.remoteAddress),
      userAgent: req.headers['user-agent'] ?? '',
      requestBody: body,
      receivedMicros: nowMicros(),
    });
  }

  /** Sends the finished event, unless the request was refused by authorization, which comes before auditing. */
  #finish(event: KubeSphereEvent | null, code: number, responseBody: Buffer | undefined): void {
    if (!event || code === 401 || code === 403) return;
    this.options.sender?.enqueue(completeEvent(event, code, responseBody));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://ks-apiserver');
    if (req.method === 'GET' && /^\/(healthz|livez|readyz)\/?$/.test(url.pathname)) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const caller = await this.#authenticate(req);
    const info = requestInfo(req.method ?? 'GET', url);
    const passthrough = UNAUDITED_PASSTHROUGH.some((pattern) => pattern.test(url.pathname));
    if (!info.isKubernetesRequest && !passthrough && !url.pathname.startsWith('/kapis/')) {
      throw new HttpError(404, 'NotFound', `ks-apiserver serves no ${url.pathname}`);
    }
    const body = await readBody(req);
    const level = passthrough ? null : this.#auditLevelFor(info);
    const event = level ? this.#startEvent(req, url, info, caller, level, body) : null;

    if (info.isKubernetesRequest || passthrough) {
      const capture = level === 'RequestResponse' && info.verb !== 'watch';
      const { code, captured } = await this.#proxy(req, res, url, body, capture);
      this.#finish(event, code, captured);
      return;
    }
    let code: number;
    let responseBody: Buffer | undefined;
    try {
      ({ code, body: responseBody } = await this.#serveKapis(req, res, url, info, caller, body));
    } catch (error) {
      this.#fail(res, error);
      code = error instanceof HttpError ? error.code : 500;
    }
    this.#finish(event, code, responseBody);
  }

  /** Forwards the request to kube-apiserver as the caller; streams the answer back (watches included). */
  #proxy(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
    capture: boolean,
  ): Promise<{ code: number; captured: Buffer | undefined }> {
    return new Promise((resolve) => {
      const target = new URL(url.pathname + url.search, this.#upstream);
      const upstream = httpsRequest(
        target,
        {
          method: req.method,
          agent: this.#agent,
          headers: { ...forwardedHeaders(req, false), 'content-length': body.length },
        },
        (answer) => {
          const code = answer.statusCode ?? 502;
          const headers: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(answer.headers)) {
            if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
          }
          res.writeHead(code, headers);
          res.flushHeaders();
          const chunks: Buffer[] = [];
          let size = 0;
          answer.on('data', (chunk: Buffer) => {
            if (capture && size <= MAX_CAPTURE_BYTES) {
              chunks.push(chunk);
              size += chunk.length;
            }
            res.write(chunk);
          });
          const done = () => {
            res.end();
            resolve({ code, captured: capture && size <= MAX_CAPTURE_BYTES ? Buffer.concat(chunks) : undefined });
          };
          answer.on('end', done);
          answer.on('error', done);
          // The caller went away (a watch ended by the client): stop the upstream request too.
          res.on('close', () => {
            answer.destroy();
            resolve({ code, captured: undefined });
          });
        },
      );
      upstream.on('error', (error) => {
        if (!res.headersSent)
          sendJson(res, 502, statusBody(502, 'ServiceUnavailable', `kube-apiserver: ${error.message}`));
        else res.destroy();
        resolve({ code: 502, captured: undefined });
      });
      upstream.end(body);
    });
  }

  /** exec, attach, port-forward (SPDY or WebSocket upgrades): a byte pipe to kube-apiserver, audited as one request. */
  async #handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://ks-apiserver');
    const caller = await this.#authenticate(req);
    const info = requestInfo(req.method ?? 'GET', url);
    if (!info.isKubernetesRequest) throw new HttpError(404, 'NotFound', `ks-apiserver upgrades no ${url.pathname}`);
    const level = this.#auditLevelFor(info);
    const event = level ? this.#startEvent(req, url, info, caller, level) : null;

    const upstream = tlsConnect({
      host: this.#upstream.hostname,
      port: Number(this.#upstream.port || 443),
      ca: this.options.caPem,
      ALPNProtocols: ['http/1.1'],
    });
    const headers = forwardedHeaders(req, true);
    headers.host = this.#upstream.host;
    const headerLines = Object.entries(headers).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((one) => `${name}: ${one}\r\n`),
    );
    let code = 0;
    upstream.once('secureConnect', () => {
      upstream.write(`${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n${headerLines.join('')}\r\n`);
      if (head.length > 0) upstream.write(head);
    });
    upstream.once('data', (first: Buffer) => {
      code = Number(/^HTTP\/1\.[01] (\d{3})/.exec(first.toString('latin1', 0, 32))?.[1] ?? 502);
    });
    upstream.pipe(socket);
    socket.pipe(upstream);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      upstream.destroy();
      socket.destroy();
      this.#finish(event, code || 502, undefined);
    };
    upstream.on('close', finish);
    upstream.on('error', finish);
    socket.on('close', finish);
    socket.on('error', finish);
  }

  /**
   * The KubeSphere API this stand-in serves, done with the caller's own token: the projects (namespaces) of a
   * workspace (tenant.kubesphere.io/v1alpha2, pkg/kapis/tenant/v1alpha2/register.go), and the version.
   */
  async #serveKapis(
    _req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    info: RequestInfo,
    caller: Caller,
    body: Buffer,
  ): Promise<{ code: number; body: Buffer }> {
    if (url.pathname === '/kapis/version' && info.verb === 'get') {
      const version = { gitVersion: 'v3.4.1', gitMajor: '3', gitMinor: '4', kubernetes: 'local cluster' };
      return { code: 200, body: sendJson(res, 200, JSON.stringify(version)) };
    }
    const tenantProjects =
      info.apiGroup === 'tenant.kubesphere.io' && info.workspace !== '' && info.resource === 'namespaces';
    if (!tenantProjects) throw new HttpError(404, 'NotFound', `ks-apiserver stand-in serves no ${url.pathname}`);
    const core = clientConfig(this.options.upstream, this.options.caPem, caller.token).makeApiClient(CoreV1Api);
    const labelSelector = `${workspaceLabel}=${info.workspace}`;
    try {
      if (info.verb === 'list') {
        const list = await core.listNamespace({ labelSelector });
        return { code: 200, body: sendJson(res, 200, JSON.stringify(list)) };
      }
      if (info.verb === 'create') {
        const namespace = JSON.parse(body.toString('utf8') || '{}') as V1Namespace;
        namespace.metadata = {
          ...namespace.metadata,
          labels: { ...namespace.metadata?.labels, [workspaceLabel]: info.workspace },
        };
        const created = await core.createNamespace({ body: namespace });
        return { code: 201, body: sendJson(res, 201, JSON.stringify(created)) };
      }
      if (info.verb === 'delete' && info.name) {
        const existing = await core.readNamespace({ name: info.name });
        if (existing.metadata?.labels?.[workspaceLabel] !== info.workspace) {
          throw new HttpError(404, 'NotFound', `workspace ${info.workspace} has no project ${info.name}`);
        }
        const status = await core.deleteNamespace({ name: info.name });
        return { code: 200, body: sendJson(res, 200, JSON.stringify(status)) };
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number' && code >= 400 && code < 600) {
        throw new HttpError(code, 'Failure', errorText(error));
      }
      throw error;
    }
    throw new HttpError(405, 'MethodNotAllowed', `${info.verb} is not supported on ${url.pathname}`);
  }
}
