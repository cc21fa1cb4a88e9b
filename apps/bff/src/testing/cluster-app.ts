import type { KubeConfig } from '@kubernetes/client-node';
import type { createApp } from '../app.ts';

/**
 * Calling the real app as one of the local cluster's people (seed/rbac.yaml gives admin, tenant and viewer
 * their rights), for the integration tests of the routes. Scripts' way in: `Authorization: Bearer`.
 */
export type TestUser = 'admin' | 'tenant' | 'viewer';

export type TestApp = ReturnType<typeof createApp>;

/** The bearer token of a user of the test kubeconfig (its user entry of the same name). */
export function userToken(kubeConfig: KubeConfig, user: TestUser): string {
  const found = kubeConfig.users.find((entry) => entry.name === user)?.token;
  if (!found) throw new Error(`the test kubeconfig has no token for ${user}`);
  return found;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request to the app as `user` (no credential when undefined); a JSON body when `body` is given. */
export function callAs(
  app: TestApp,
  kubeConfig: KubeConfig,
  user: TestUser | undefined,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (user) headers.Authorization = `Bearer ${userToken(kubeConfig, user)}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  return Promise.resolve(
    app.request(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    }),
  );
}

/** The JSON body of a response that must have `status`; the body text is the failure message otherwise. */
export async function jsonOf<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected HTTP ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}
