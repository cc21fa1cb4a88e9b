import { failureStatus } from '@auditorium/audit-model';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { StatusError } from '../errors.ts';

/**
 * A sliding-window limit per client address, for the sign-in endpoints: guessing tokens or sign-in codes
 * costs a 429 with Retry-After after `limit` attempts a window. Keyed by the socket's address; behind a
 * reverse proxy every user shares the proxy's address, which still bounds guessing.
 */
export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
}

export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}

export function rateLimit(options: RateLimitOptions) {
  const now = options.now ?? Date.now;
  const attempts = new Map<string, number[]>();
  return createMiddleware(async (c, next) => {
    const at = now();
    const key = clientAddress(c);
    const recent = (attempts.get(key) ?? []).filter((time) => at - time < options.windowMs);
    if (recent.length >= options.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((recent[0]! + options.windowMs - at) / 1000));
      attempts.set(key, recent);
      throw new StatusError(
        failureStatus(
          429,
          'TooManyRequests',
          `Too many sign-in attempts from ${key}; try again in ${retryAfterSeconds} s.`,
          { retryAfterSeconds },
        ),
        { 'Retry-After': String(retryAfterSeconds) },
      );
    }
    recent.push(at);
    attempts.set(key, recent);
    if (attempts.size > 10_000) {
      for (const [address, times] of attempts) {
        if (times.every((time) => at - time >= options.windowMs)) attempts.delete(address);
      }
    }
    return next();
  });
}
