import { createHash } from 'node:crypto';
import { failureStatus } from '@auditorium/audit-model';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { StatusError } from '../errors.ts';
import { type AvailableClusterAccess, type ClusterAccess, requireAvailable } from '../kube/cluster-access.ts';
import { isApiException } from '../kube/kube-errors.ts';
import { reviewSelf } from '../kube/self-review.ts';
import type { AuthenticatedEnv, SignedInUser } from '../kube/user-kube.ts';
import { readSessionCookie } from '../session/session-cookie.ts';
import type { SessionStore } from '../session/session-store.ts';

/**
 * Sets `c.var.userKube` for everything behind it: from `Authorization: Bearer <token>` (scripts) or the
 * session cookie (the console). A request with neither gets 401. The KubeConfig always carries the user's
 * own credential, so the apiserver, not this server, decides what the user may do.
 */
export interface IdentityOptions {
  cluster: ClusterAccess;
  sessions: SessionStore;
  /** How long a bearer token's SelfSubjectReview answer is reused. */
  tokenReviewTtlMs?: number;
  now?: () => number;
}

export function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** The user behind a bearer token, or a 401 Status when the cluster does not accept it. */
export async function identifyToken(kubeConfig: KubeConfig): Promise<SignedInUser> {
  try {
    return await reviewSelf(kubeConfig);
  } catch (error) {
    if (isApiException(error) && error.code === 401) {
      throw new StatusError(
        failureStatus(
          401,
          'Unauthorized',
          'The cluster did not accept this token (401 Unauthorized). Check that it is complete and has not expired.',
        ),
      );
    }
    throw error;
  }
}

const signInMessage =
  'You are not signed in. Sign in with a bearer token (POST /api/session), send Authorization: Bearer <token>, or in local mode open the sign-in link the server printed.';

export function identity(options: IdentityOptions) {
  const ttl = options.tokenReviewTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const reviewed = new Map<string, { user: SignedInUser; until: number }>();

  async function userForToken(cluster: AvailableClusterAccess, token: string): Promise<SignedInUser> {
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = reviewed.get(key);
    if (hit && hit.until > now()) return hit.user;
    const user = await identifyToken(cluster.kubeConfigForToken(token));
    reviewed.set(key, { user, until: now() + ttl });
    if (reviewed.size > 1000) {
      for (const [entry, value] of reviewed) if (value.until <= now() || reviewed.size > 1000) reviewed.delete(entry);
    }
    return user;
  }

  return createMiddleware<AuthenticatedEnv>(async (c, next) => {
    const cluster = requireAvailable(options.cluster);
    const token = bearerToken(c);
    if (token) {
      const user = await userForToken(cluster, token);
      c.set('userKube', { user, kubeConfig: cluster.kubeConfigForToken(token) });
      return next();
    }
    const sessionId = readSessionCookie(c);
    const session = sessionId ? await options.sessions.get(sessionId) : undefined;
    if (!session) {
      const message = sessionId ? `Your session has expired. ${signInMessage}` : signInMessage;
      throw new StatusError(failureStatus(401, 'Unauthorized', message));
    }
    const { credential } = session;
    if (credential.kind === 'kubeconfig' && cluster.mode !== 'local') {
      throw new StatusError(failureStatus(401, 'Unauthorized', signInMessage));
    }
    const kubeConfig =
      credential.kind === 'token' ? cluster.kubeConfigForToken(credential.token) : cluster.serverKubeConfig;
    c.set('userKube', { user: session.user, kubeConfig });
    return next();
  });
}
