import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * JSON over HTTP(S) for alert delivery, on node:http rather than fetch because a webhook receiver's
 * `caBundle` has to become the trusted CA of exactly that request, which fetch cannot express without
 * undici's own Agent. Every call has a deadline (KubeSphere's exporter uses 10 s), and a non-2xx answer is
 * an error carrying the status and the start of the body, which is what an operator needs to see.
 */
export interface JsonRequestOptions {
  /** PEM CA bundle trusted for https URLs. */
  ca?: string;
  timeoutMs?: number;
}

export class HttpStatusError extends Error {
  readonly status: number;
  constructor(method: string, url: string, status: number, body: string) {
    super(`${method} ${url} answered ${status}${body ? `: ${body.slice(0, 300)}` : ''}`);
    this.name = 'HttpStatusError';
    this.status = status;
  }
}

export function requestJson(method: 'GET' | 'POST', url: string, body: unknown, options: JsonRequestOptions = {}) {
  const target = new URL(url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<unknown>((resolve, reject) => {
    const request = send(
      target,
      {
        method,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
        },
        ...(options.ca ? { ca: options.ca } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) {
            reject(new HttpStatusError(method, url, status, text.trim()));
            return;
          }
          try {
            resolve(text ? JSON.parse(text) : undefined);
          } catch {
            resolve(text);
          }
        });
      },
    );
    request.on('error', (error: Error) => {
      reject(
        error.name === 'AbortError'
          ? new Error(`${method} ${url} timed out after ${timeoutMs} ms`)
          : new Error(`${method} ${url}: ${error.message}`),
      );
    });
    request.end(payload);
  });
}
