import type { z } from 'zod';

/**
 * Kubernetes `Status` (apimachinery pkg/apis/meta/v1/types.go): the one error body Auditorium answers
 * with, so the console renders apiserver errors and our own the same way, each cause beside its field.
 */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusCause {
  reason?: string;
  message: string;
  /** A dotted path such as `spec.receivers[0].config.url`. */
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  code: number;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
}

export function failureStatus(
  code: number,
  reason: StatusReason,
  message: string,
  details?: Status['details'],
): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return status;
}

/** `a.b[0].c` from a zod issue path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

/** Every zod issue as a cause with its field, as apimachinery's field.ErrorList does. */
export function invalidStatus(
  kind: string,
  name: string,
  issues: ReadonlyArray<z.core.$ZodIssue>,
  prefix = '',
): Status {
  const causes: StatusCause[] = issues.map((issue) => ({
    reason: issue.code === 'invalid_value' ? 'FieldValueNotSupported' : 'FieldValueInvalid',
    message: issue.message,
    field: fieldPath(issue.path, prefix),
  }));
  const summary = causes.map((cause) => `${cause.field}: ${cause.message}`).join(', ');
  return failureStatus(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, { name, kind, causes });
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}
