import type { Status } from '@auditorium/audit-model';
import type { Context, Env } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { UserKube } from '../kube/user-kube.ts';

/**
 * JSON logs (pino). Tokens never reach them: the request log writes method, path (never the query, which
 * holds sign-in codes), status, time and user name, and redaction censors credential-shaped fields in
 * anything else that is logged.
 */
export const redactedPaths = [
  'authorization',
  'cookie',
  'token',
  'code',
  'password',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.code',
  '*.password',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'credential',
  '*.credential',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    options.destination,
  );
}

export function requestLogger(logger: Logger) {
  return createMiddleware<Env & { Variables: { userKube?: UserKube } }>(async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        user: c.get('userKube')?.user.username,
      },
      'request',
    );
  });
}

/** For the error handler: unexpected failures with their stack; Status answers (4xx, apiserver) stay quiet. */
export function reportErrors(logger: Logger) {
  return (error: unknown, status: Status, c: Context) => {
    if (status.code >= 500 && status.reason === 'InternalError') {
      logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
    }
  };
}
