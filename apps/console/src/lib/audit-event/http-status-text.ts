/** Reason phrases for the status codes audit events carry, as KubeSphere's table shows them (404 → Not Found). */
const reasonPhrases: Record<number, string> = {
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function httpStatusText(code: number | undefined): string {
  if (code === undefined) return '';
  return reasonPhrases[code] ?? '';
}

/** success / redirect / client / server, for colouring a status code. */
export function statusClass(code: number | undefined): 'ok' | 'redirect' | 'client' | 'server' | 'none' {
  if (code === undefined || code === 0) return 'none';
  if (code < 300) return 'ok';
  if (code < 400) return 'redirect';
  if (code < 500) return 'client';
  return 'server';
}
