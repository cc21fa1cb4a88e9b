import { timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { type WatchedResource, watchResource } from './watched-resource.ts';

/**
 * Who may post audit events. Off unless configured: ks-apiserver's client sends no credentials at all
 * (reference §5.1), so turning a check on means only kube-apiserver (bearer token or client certificate
 * in its audit-webhook kubeconfig) can post. With both a token and a client CA configured, either valid
 * credential admits the sender. No credentials: 401. Credentials that do not check out: 403.
 */
export interface TokenSource {
  /** The accepted tokens right now; empty while none is known (the Secret is missing, say). */
  tokens(): readonly string[];
  describe(): string;
  close(): Promise<void>;
}

export type SenderVerdict = { allowed: true } | { allowed: false; status: 401 | 403; message: string };

export interface SenderAuth {
  enabled: boolean;
  check(authorization: string | undefined, socket: Socket | undefined): SenderVerdict;
  close(): Promise<void>;
}

export interface SenderAuthOptions {
  tokens?: TokenSource;
  /** The TLS server asks for a client certificate and verifies it against the client CA. */
  clientCertificates?: boolean;
}

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isTlsSocket(socket: Socket | undefined): socket is TLSSocket {
  return socket !== undefined && 'getPeerCertificate' in socket;
}

export function createSenderAuth(options: SenderAuthOptions): SenderAuth {
  const { tokens, clientCertificates = false } = options;
  const wanted = [tokens ? 'a bearer token' : '', clientCertificates ? 'a client certificate' : '']
    .filter(Boolean)
    .join(' or ');
  return {
    enabled: Boolean(tokens) || clientCertificates,
    check(authorization, socket) {
      if (!tokens && !clientCertificates) return { allowed: true };
      const problems: string[] = [];
      let presented = false;
      if (tokens && authorization !== undefined) {
        presented = true;
        const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
        const accepted = tokens.tokens();
        if (match && accepted.some((token) => sameToken(match[1]!, token))) return { allowed: true };
        problems.push(
          !match
            ? 'the Authorization header is not "Bearer <token>"'
            : accepted.length === 0
              ? `no token is configured yet (${tokens.describe()})`
              : 'the bearer token is not accepted',
        );
      }
      if (clientCertificates && isTlsSocket(socket)) {
        const certificate = socket.getPeerCertificate();
        if (certificate && Object.keys(certificate).length > 0) {
          presented = true;
          if (socket.authorized) return { allowed: true };
          problems.push(`the client certificate is not accepted: ${String(socket.authorizationError)}`);
        }
      }
      if (!presented) {
        return { allowed: false, status: 401, message: `the receiver requires ${wanted}; none was presented` };
      }
      return { allowed: false, status: 403, message: problems.join('; ') };
    },
    close: async () => {
      await tokens?.close();
    },
  };
}

/**
 * Tokens from a file, one per line (two lines while rotating). Re-read when the file changes, checked at
 * most once a second, so a rotated mounted Secret takes effect without a restart.
 */
export function tokenFileSource(file: string): TokenSource {
  let tokens: string[] = [];
  let mtimeMs = -1;
  let checkedAt = 0;
  const load = () => {
    checkedAt = Date.now();
    try {
      const stat = statSync(file);
      if (stat.mtimeMs === mtimeMs) return;
      mtimeMs = stat.mtimeMs;
      tokens = readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    } catch {
      tokens = [];
      mtimeMs = -1;
    }
  };
  load();
  if (tokens.length === 0) throw new Error(`RECEIVER_TOKEN_FILE ${file} is missing or holds no token`);
  return {
    tokens() {
      if (Date.now() - checkedAt > 1000) load();
      return tokens;
    },
    describe: () => `file ${file}`,
    close: async () => {},
  };
}

/** The `token` key of a Secret (`namespace/name`), watched so a rotation applies at once. */
export function tokenSecretSource(kubeConfig: KubeConfig, reference: string): TokenSource {
  const [namespace, name] = reference.split('/');
  if (!namespace || !name) throw new Error(`RECEIVER_TOKEN_SECRET must be namespace/name, got ${reference}`);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const fieldSelector = `metadata.name=${name}`;
  const secrets: WatchedResource<V1Secret> = watchResource<V1Secret>({
    kubeConfig,
    path: `/api/v1/namespaces/${namespace}/secrets`,
    fieldSelector,
    list: () => core.listNamespacedSecret({ namespace, fieldSelector }),
    description: `Secret ${reference}`,
  });
  return {
    tokens() {
      const encoded = secrets.get(name, namespace)?.data?.token;
      const token = encoded ? Buffer.from(encoded, 'base64').toString('utf8').trim() : '';
      return token ? [token] : [];
    },
    describe: () => `key token of Secret ${reference}`,
    close: () => secrets.stop(),
  };
}
