import { failureStatus, isStatus, type Status, type StatusReason } from '@auditorium/audit-model';

/**
 * Turns what client-node throws into the Kubernetes `Status` the user should see. client-node 2.x rejects
 * with `ApiException`, whose `body` is the raw response text (a JSON Status from a real apiserver), and for
 * a 401 no body at all; network failures arrive as `TypeError: fetch failed` with the reason in `cause`.
 */

interface ApiExceptionLike {
  code: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function isApiException(error: unknown): error is ApiExceptionLike {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'number' &&
    'body' in error &&
    'headers' in error
  );
}

const reasonByCode: Record<number, StatusReason> = {
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

export function reasonForCode(code: number): StatusReason {
  return reasonByCode[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest');
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** The apiserver's Status unchanged when it sent one; otherwise a Status built from the HTTP code. */
export function statusFromApiException(error: ApiExceptionLike): Status {
  const body = parseBody(error.body);
  if (isStatus(body)) return body;
  if (error.code === 401) {
    return failureStatus(
      401,
      'Unauthorized',
      'The cluster did not accept your credentials (401 Unauthorized). The token may have expired or been revoked: sign in again.',
    );
  }
  const text = typeof body === 'string' && body.trim() ? body.trim().slice(0, 500) : `HTTP ${error.code}`;
  return failureStatus(
    error.code,
    reasonForCode(error.code),
    `The Kubernetes API server answered ${error.code}: ${text}`,
  );
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The innermost cause that names a socket or TLS failure, if this error is one. Besides the listed codes,
 * any failure fetch wraps as `TypeError: fetch failed` is one (it never reached the apiserver's HTTP
 * layer): e.g. an https:// server that answers plain HTTP (OpenSSL's "wrong version number"), whose
 * wrapper alone would tell the user nothing.
 */
export function networkFailure(error: unknown): Error | undefined {
  let current: unknown = error;
  let fetchFailed: Error | undefined;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && networkCodes.has(code)) return current;
    if (current.name === 'AbortError' || current.name === 'TimeoutError') return current;
    if (current instanceof TypeError && current.message === 'fetch failed') fetchFailed = current;
    else if (fetchFailed) fetchFailed = current;
    current = current.cause;
  }
  return fetchFailed;
}

/** The Status for any failure of a Kubernetes call, or undefined when the error did not come from one. */
export function kubeStatus(error: unknown): Status | undefined {
  if (isApiException(error)) return statusFromApiException(error);
  const network = networkFailure(error);
  if (network) {
    return failureStatus(
      503,
      'ServiceUnavailable',
      `The Kubernetes API server cannot be reached: ${network.message.trim()}. Check that the cluster is running and KUBECONFIG points at it.`,
    );
  }
  return undefined;
}

export function hasCode(error: unknown, code: number): boolean {
  return isApiException(error) && error.code === code;
}
