import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie carries only the random session id. HttpOnly (no script can read it), SameSite=Strict
 * (no other site's page can make the browser send it), Secure when the console is served over HTTPS, and
 * scoped to the whole origin because the console's pages and /api share it.
 */
export const sessionCookieName = 'auditorium_session';

export type SecureCookies = boolean | 'auto';

function isSecure(c: Context, secure: SecureCookies): boolean {
  if (secure !== 'auto') return secure;
  return new URL(c.req.url).protocol === 'https:';
}

export function setSessionCookie(c: Context, sessionId: string, maxAgeMs: number, secure: SecureCookies): void {
  setCookie(c, sessionCookieName, sessionId, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isSecure(c, secure),
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearSessionCookie(c: Context, secure: SecureCookies): void {
  deleteCookie(c, sessionCookieName, { path: '/', secure: isSecure(c, secure), httpOnly: true, sameSite: 'Strict' });
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, sessionCookieName) || undefined;
}
