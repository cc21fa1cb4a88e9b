import { failureStatus } from '@auditorium/audit-model';
import { Hono } from 'hono';
import { z } from 'zod';
import { StatusError } from '../errors.ts';
import { type ClusterAccess, requireAvailable } from '../kube/cluster-access.ts';
import { reviewSelf } from '../kube/self-review.ts';
import type { SignedInUser } from '../kube/user-kube.ts';
import { bearerToken, identifyToken } from '../middleware/identity.ts';
import { type RateLimitOptions, rateLimit } from '../middleware/rate-limit.ts';
import { validate } from '../middleware/validator.ts';
import {
  clearSessionCookie,
  readSessionCookie,
  type SecureCookies,
  setSessionCookie,
} from '../session/session-cookie.ts';
import type { SessionStore } from '../session/session-store.ts';
import type { SignInCodes } from '../session/sign-in-link.ts';

export interface SessionRoutesOptions {
  cluster: ClusterAccess;
  sessions: SessionStore;
  /** Cookie lifetime; the store's absolute expiry. */
  sessionMaxAgeMs: number;
  secureCookies: SecureCookies;
  /** Local mode: the one-time codes of printed sign-in links. */
  signInCodes?: SignInCodes;
  /** Called after a sign-in link was used, so the server can print a fresh one for another browser. */
  onSignInLinkUsed?: () => void;
  signInRateLimit?: RateLimitOptions;
}

export type SessionVia = 'token' | 'kubeconfig' | 'bearer';

export interface SessionInfo {
  signedIn: boolean;
  mode: ClusterAccess['mode'];
  /** Whether this server offers sign-in links (local mode). */
  signInLinks: boolean;
  user?: SignedInUser;
  via?: SessionVia;
}

const signInBody = z.object({ token: z.string().trim().min(1, 'paste a bearer token') });
const linkQuery = z.object({ code: z.string().min(1, 'the sign-in link has no code') });

/**
 * Sign-in and sign-out. Public (no session needed), rate limited per client address, and behind the
 * Origin check like every state-changing request, which stops login CSRF.
 */
export function sessionRoutes(options: SessionRoutesOptions) {
  const limit = rateLimit(options.signInRateLimit ?? { limit: 10, windowMs: 60_000 });
  const linksAvailable = () => options.cluster.mode === 'local' && options.signInCodes !== undefined;

  return new Hono()
    .get('/', async (c) => {
      const info: SessionInfo = {
        signedIn: false,
        mode: options.cluster.mode,
        signInLinks: linksAvailable(),
      };
      const sessionId = readSessionCookie(c);
      const session = sessionId ? await options.sessions.get(sessionId) : undefined;
      if (session) {
        info.signedIn = true;
        info.user = session.user;
        info.via = session.credential.kind;
      } else if (bearerToken(c)) {
        info.via = 'bearer';
      }
      return c.json(info, 200);
    })
    .post('/', limit, validate('json', signInBody), async (c) => {
      const cluster = requireAvailable(options.cluster);
      const { token } = c.req.valid('json');
      const user = await identifyToken(cluster.kubeConfigForToken(token));
      const session = await options.sessions.create({ kind: 'token', token }, user);
      setSessionCookie(c, session.id, options.sessionMaxAgeMs, options.secureCookies);
      const info: SessionInfo = {
        signedIn: true,
        mode: cluster.mode,
        signInLinks: linksAvailable(),
        user,
        via: 'token',
      };
      return c.json(info, 201);
    })
    .get('/link', limit, validate('query', linkQuery), async (c) => {
      const cluster = requireAvailable(options.cluster);
      if (cluster.mode !== 'local' || !options.signInCodes) {
        throw new StatusError(
          failureStatus(
            404,
            'NotFound',
            'Sign-in links exist only in local mode (KUBECONFIG set); sign in with your bearer token instead.',
          ),
        );
      }
      if (!options.signInCodes.consume(c.req.valid('query').code)) {
        throw new StatusError(
          failureStatus(
            401,
            'Unauthorized',
            'This sign-in link was already used or is not from this server run. Use the newest link the server printed, or sign in with a token.',
          ),
        );
      }
      options.onSignInLinkUsed?.();
      const user = await reviewSelf(cluster.serverKubeConfig);
      const session = await options.sessions.create({ kind: 'kubeconfig' }, user);
      setSessionCookie(c, session.id, options.sessionMaxAgeMs, options.secureCookies);
      c.header('Cache-Control', 'no-store');
      return c.redirect('/', 303);
    })
    .delete('/', async (c) => {
      const sessionId = readSessionCookie(c);
      if (sessionId) await options.sessions.delete(sessionId);
      clearSessionCookie(c, options.secureCookies);
      return c.json({ signedIn: false }, 200);
    });
}
