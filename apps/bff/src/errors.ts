import { failureStatus, invalidStatus, type Status } from '@auditorium/audit-model';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { kubeStatus, reasonForCode } from './kube/kube-errors.ts';

/**
 * The one way out for failures: every error becomes a Kubernetes `Status` with causes, so the console has
 * one renderer for our errors and the apiserver's. Handlers and middleware throw `StatusError` (or let a
 * client-node error fly); nothing else writes an error body.
 */
export class StatusError extends Error {
  readonly status: Status;
  readonly headers: Record<string, string>;

  constructor(status: Status, headers: Record<string, string> = {}) {
    super(status.message);
    this.name = 'StatusError';
    this.status = status;
    this.headers = headers;
  }
}

export function statusFromError(error: unknown): Status {
  if (error instanceof StatusError) return error.status;
  const fromKube = kubeStatus(error);
  if (fromKube) return fromKube;
  if (error instanceof z.ZodError) return invalidStatus('Request', 'body', error.issues);
  if (error instanceof HTTPException) {
    return failureStatus(error.status, reasonForCode(error.status), error.message || `HTTP ${error.status}`);
  }
  return failureStatus(500, 'InternalError', 'An internal error occurred; the server log has the details.');
}

/** Logs what the user does not see (unexpected errors), without request headers or bodies. */
export type ErrorReporter = (error: unknown, status: Status, c: Context) => void;

export function statusErrorHandler(report: ErrorReporter = () => {}): ErrorHandler {
  return (error, c) => {
    const status = statusFromError(error);
    report(error, status, c);
    if (error instanceof StatusError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    }
    return c.json(status, status.code as ContentfulStatusCode);
  };
}

export function notFoundStatus(c: Context) {
  const status = failureStatus(404, 'NotFound', `There is no API at ${c.req.method} ${c.req.path}.`);
  return c.json(status, 404);
}
