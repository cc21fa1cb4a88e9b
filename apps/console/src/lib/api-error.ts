import { failureStatus, isStatus, type Status } from '@auditorium/audit-model';
import type { ClientResponse } from 'hono/client';
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';

/**
 * A failed BFF call, carrying the Kubernetes `Status` the BFF answered with (or one made up from the HTTP
 * status when the body was not a Status, e.g. a proxy's HTML error page). Queries and mutations throw it,
 * the one renderer (`status-message.tsx`) shows it, and the query cache turns a 401 into the sign-in page.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: Status;
  constructor(status: Status) {
    super(status.message);
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.code === 401;
}

/** Retrying cannot fix a client error (bad filter, no permission, no session); it may fix a 5xx or a network blip. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof ApiError && error.code >= 400 && error.code < 500);
}

/** Any thrown value as a Status, so every error reaches the user through the same renderer. */
export function toStatus(error: unknown): Status {
  if (error instanceof ApiError) return error.status;
  if (isStatus(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return failureStatus(0, 'ServiceUnavailable', `The server did not answer (${message}). Check that it is running.`);
}

const reasonByCode: Record<number, Status['reason']> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The Status in a failed response's body, or one describing the HTTP status when the body is something else. */
export async function statusOf(response: { status: number; statusText: string; text(): Promise<string> }) {
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (isStatus(body)) return body;
  } catch {
    // not JSON: described below
  }
  const reason = reasonByCode[response.status] ?? 'InternalError';
  return failureStatus(response.status, reason, `The server answered ${response.status} ${response.statusText}`.trim());
}

type SuccessResponse<R> =
  R extends ClientResponse<infer Body, infer Code, infer Format>
    ? Code extends ClientErrorStatusCode | ServerErrorStatusCode
      ? never
      : Format extends 'json'
        ? Body
        : never
    : never;

/** The JSON body of a successful `hc` call; any other answer throws an `ApiError` with the server's Status. */
export async function okJson<R extends ClientResponse<unknown, number, string>>(
  call: Promise<R> | R,
): Promise<SuccessResponse<R>> {
  const response = await call;
  if (!response.ok) throw new ApiError(await statusOf(response));
  return (await response.json()) as SuccessResponse<R>;
}

/** For calls whose success has no body worth reading (204, sign-out). */
export async function okEmpty(call: Promise<ClientResponse<unknown, number, string>>): Promise<void> {
  const response = await call;
  if (!response.ok) throw new ApiError(await statusOf(response));
}
