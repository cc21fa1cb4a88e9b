import { failureStatus, fieldPath, type StatusCause } from '@auditorium/audit-model';
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { StatusError } from '../errors.ts';

/**
 * zValidator wrapped once, so every rejected request is the same 422 `Status` with one cause per problem
 * (`field` is the path inside the validated part: `spec.receivers[0].config.url` for a body, `limit` for
 * a query). Handlers get parsed, defaulted data from `c.req.valid(target)` and never re-check it.
 */
export function validate<Schema extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: Schema,
  /** Names the object in the message (`Webhook "kube-auditing-webhook" is invalid: …`). */
  subject?: { kind: string; name: string },
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const kind = subject?.kind ?? 'Request';
      const name = subject?.name ?? targetNames[target] ?? target;
      throw new StatusError(invalidStatusFromCauses(kind, name, causesFromIssues(result.error.issues)));
    }
  });
}

/** One cause per issue; an unknown-keys issue becomes one cause per key so each lands on its field. */
export function causesFromIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix = ''): StatusCause[] {
  return issues.flatMap((issue): StatusCause[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        reason: 'FieldValueNotSupported',
        message: `unknown field "${key}"`,
        field: fieldPath([...issue.path, key], prefix),
      }));
    }
    return [
      {
        reason: issue.code === 'invalid_value' ? 'FieldValueNotSupported' : 'FieldValueInvalid',
        message: issue.message,
        field: fieldPath(issue.path, prefix),
      },
    ];
  });
}

export function invalidStatusFromCauses(kind: string, name: string, causes: StatusCause[]) {
  const summary = causes.map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message)).join('; ');
  return failureStatus(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, { name, kind, causes });
}

const targetNames: Partial<Record<keyof ValidationTargets, string>> = {
  json: 'request body',
  query: 'query',
  param: 'path',
};
