import { failureStatus } from '@auditorium/audit-model';
import { createMiddleware } from 'hono/factory';
import { StatusError } from '../errors.ts';
import { readSessionCookie } from '../session/session-cookie.ts';

/**
 * CSRF protection on every state-changing request (POST, PUT, PATCH, DELETE), whatever its content type.
 * Hono's `csrf` middleware only looks at form-style bodies, but `fetch` can send any content type to a
 * JSON API, and `POST /api/session` must be protected too (login CSRF). SameSite=Strict on the cookie is
 * the second layer.
 *
 * Browsers mark every unsafe request with `Sec-Fetch-Site` and `Origin`. We accept `Sec-Fetch-Site:
 * same-origin`, else an `Origin` whose host is this server's `Host` (or listed in `allowedOrigins`). A request
 * with neither header cannot come from a browser page, so it is allowed unless it carries the session
 * cookie (an old browser): scripts that send `Authorization: Bearer` hold their own credential.
 */
export interface OriginCheckOptions {
  /** Extra origins allowed to make state-changing requests, e.g. `https://console.example.com`. */
  allowedOrigins?: string[];
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function refuse(reason: string): never {
  throw new StatusError(
    failureStatus(
      403,
      'Forbidden',
      `Cross-site request refused: ${reason}. State-changing requests must come from the console's own origin.`,
    ),
  );
}

export function originCheck(options: OriginCheckOptions = {}) {
  const allowed = new Set((options.allowedOrigins ?? []).map((origin) => new URL(origin).origin));
  return createMiddleware(async (c, next) => {
    if (!unsafeMethods.has(c.req.method)) return next();
    const fetchSite = c.req.header('sec-fetch-site');
    // The browser's own verdict; a page cannot forge it. It also covers a dev proxy that rewrites Host.
    if (fetchSite === 'same-origin') return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      let parsed: URL | undefined;
      try {
        parsed = origin === 'null' ? undefined : new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed) refuse(`the Origin "${origin}" is opaque or malformed`);
      const ownHost = c.req.header('host') ?? new URL(c.req.url).host;
      // Compare hosts, not schemes: behind a TLS-terminating proxy the request URL says http: while the
      // page's origin says https:.
      if (parsed.host !== ownHost && !allowed.has(parsed.origin)) {
        refuse(`the request came from ${parsed.origin}, not from ${ownHost}`);
      }
      return next();
    }
    if (fetchSite !== undefined) refuse(`Sec-Fetch-Site is "${fetchSite}" and there is no Origin header`);
    if (readSessionCookie(c)) refuse('the request carries the session cookie but no Origin header');
    return next();
  });
}
