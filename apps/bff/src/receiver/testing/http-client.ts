import { type Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Status } from '@auditorium/audit-model';

/**
 * A sender for tests: a raw HTTP(S) POST with full control over headers and body (fetch would fix up
 * Content-Length and cannot trust a test CA), answering status, headers and the parsed Status body.
 */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as a Kubernetes Status, when it is one. */
  statusBody: Status | undefined;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string | number>;
  ca?: string;
  cert?: string;
  key?: string;
  agent?: Agent;
  /** Send the body in chunks without Content-Length. */
  chunked?: boolean;
}

export function send(url: string, body: string | Buffer | undefined, options: SendOptions = {}): Promise<Answer> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    ...(payload && !options.chunked ? { 'content-length': payload.length } : {}),
    ...options.headers,
  };
  const requestFn = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Answer>((resolve, reject) => {
    const request = requestFn(
      target,
      {
        method: options.method ?? 'POST',
        headers,
        ...(options.ca ? { ca: options.ca } : {}),
        ...(options.cert ? { cert: options.cert, key: options.key } : {}),
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let statusBody: Status | undefined;
          try {
            const parsed = JSON.parse(text) as Status;
            if (parsed?.kind === 'Status') statusBody = parsed;
          } catch {}
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, statusBody });
        });
      },
    );
    request.on('error', reject);
    if (payload && options.chunked) {
      // Several writes without Content-Length: Node sends Transfer-Encoding: chunked.
      const size = 64 * 1024;
      for (let offset = 0; offset < payload.length; offset += size)
        request.write(payload.subarray(offset, offset + size));
      request.end();
    } else {
      request.end(payload);
    }
  });
}
