// Health checks over loopback HTTP(S). node:https rather than fetch: fetch cannot be told to trust our CA
// for one request without an extra dependency.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ProbeResponse {
  status: number;
  body: string;
}

export function httpGet(
  url: string,
  options: { ca?: string; token?: string; timeoutMs?: number } = {},
): Promise<ProbeResponse> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'GET',
        ca: options.ca,
        headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
        timeout: options.timeoutMs ?? 3000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 3000} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Throws unless the URL answers 200. */
export async function expectOk(url: string, options: { ca?: string; token?: string } = {}): Promise<string> {
  const response = await httpGet(url, options);
  if (response.status !== 200) {
    throw new Error(`${url} answered ${response.status}: ${response.body.trim().slice(0, 500)}`);
  }
  return response.body;
}
