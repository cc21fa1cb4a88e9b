import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  auditingApiVersion,
  auditingGroup,
  auditingVersion,
  webhookName,
  webhookPlural,
} from '@auditorium/audit-model';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import { createLogger } from '../middleware/logger.ts';
import { testKubeConfig } from '../receiver/testing/local-cluster.ts';
import { sessionCookieName } from '../session/session-cookie.ts';
import { SignInCodes } from '../session/sign-in-link.ts';
import { type TestApp, type TestUser, userToken } from '../testing/cluster-app.ts';
import type { SessionInfo } from './session.ts';

/**
 * Sign-in and the browser's protections against the real local cluster: the token is checked by the
 * apiserver, kept server-side, and only an HttpOnly SameSite=Strict cookie reaches the browser; cross-site
 * writes and requests without a session are refused; guessing is rate limited.
 */
const origin = 'http://localhost';

describe('sign-in and session on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let dir: string;
  let app: TestApp;
  let signInCodes: SignInCodes;
  const token = (user: TestUser) => userToken(kubeConfig, user);

  /** Signs in through the console's form and returns the cookie pair and the whole Set-Cookie header. */
  async function signIn(user: TestUser, target: TestApp = app) {
    const response = await target.request('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ token: token(user) }),
    });
    const text = await response.text();
    expect(response.status, text).toBe(201);
    const setCookie = response.headers.get('set-cookie') ?? '';
    const pair = setCookie.split(';')[0]!;
    return { response, text, setCookie, cookie: pair, body: JSON.parse(text) as SessionInfo };
  }

  beforeAll(() => {
    kubeConfig = testKubeConfig();
    dir = mkdtempSync(join(tmpdir(), 'auditorium-session-'));
    signInCodes = new SignInCodes();
    app = createApp({
      version: '0.0.0',
      consoleDir: dir,
      probes: {},
      cluster: clusterAccess('local', kubeConfig),
      signInCodes,
      // Generous for the tests that sign in; the rate-limit test builds its own app.
      signInRateLimit: { limit: 100, windowMs: 60_000 },
    });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a token sign-in answers with the user the cluster names and an HttpOnly SameSite=Strict cookie', async () => {
    const { setCookie, body, cookie, text } = await signIn('tenant');
    expect(body).toMatchObject({ signedIn: true, mode: 'local', via: 'token', user: { username: 'tenant' } });
    expect(body.user?.groups).toContain('system:authenticated');
    expect(setCookie).toMatch(new RegExp(`^${sessionCookieName}=[^;]+`));
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Strict/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    // Plain http here, so not Secure; over https it is.
    expect(setCookie).not.toMatch(/;\s*Secure/i);
    // The cookie holds a session id, never the token, and the answer does not echo it.
    expect(cookie).not.toContain(token('tenant'));
    expect(text).not.toContain(token('tenant'));

    const session = await app.request('/api/session', { headers: { Cookie: cookie } });
    expect(await session.json()).toMatchObject({ signedIn: true, via: 'token', user: { username: 'tenant' } });
  });

  test('the cookie is Secure when the console is served over https', async () => {
    const response = await app.request('https://localhost/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://localhost' },
      body: JSON.stringify({ token: token('viewer') }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
  });

  test('the session acts as its user against the cluster, and no response carries the token', async () => {
    const { cookie } = await signIn('viewer');
    const secret = token('viewer');
    for (const path of ['/api/session', '/api/me', '/api/webhook', '/api/kubesphere-config']) {
      const response = await app.request(path, { headers: { Cookie: cookie } });
      const text = await response.text();
      expect(response.status, `${path}: ${text}`).toBe(200);
      expect(text, path).not.toContain(secret);
      expect([...response.headers.values()].join('\n'), path).not.toContain(secret);
    }
    const me = (await (await app.request('/api/me', { headers: { Cookie: cookie } })).json()) as {
      user: { username: string };
    };
    expect(me.user.username).toBe('viewer');
  });

  test('a token the cluster does not know is refused with 401 and no cookie', async () => {
    const response = await app.request('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ token: 'not-a-token-of-this-cluster' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    const status = (await response.json()) as { kind: string; reason: string; message: string };
    expect(status).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    expect(status.message).toContain('did not accept this token');
  });

  test('an empty token is a 422 naming the field', async () => {
    const response = await app.request('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ token: '   ' }),
    });
    expect(response.status).toBe(422);
    const status = (await response.json()) as { details: { causes: Array<{ field: string }> } };
    expect(status.details.causes.map((cause) => cause.field)).toEqual(['token']);
  });

  test('without a session or bearer token every API under the identity check is 401', async () => {
    for (const path of ['/api/me', '/api/webhook', '/api/kubesphere-config', '/api/events']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(401);
      const status = (await response.json()) as { kind: string; message: string };
      expect(status.kind).toBe('Status');
      expect(status.message).toContain('not signed in');
    }
    // A bearer token the cluster does not know: the apiserver's 401, said plainly.
    const wrong = await app.request('/api/me', { headers: { Authorization: 'Bearer not-a-token-of-this-cluster' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toContain('did not accept this token');
    // A cookie of no live session (forged, or from before a restart) says the session expired.
    const stale = await app.request('/api/me', { headers: { Cookie: `${sessionCookieName}=forged-session-id` } });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { message: string }).message).toContain('session has expired');
  });

  test('signing out ends the session on the server, not just in the browser', async () => {
    const { cookie } = await signIn('admin');
    const out = await app.request('/api/session', { method: 'DELETE', headers: { Cookie: cookie, Origin: origin } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${sessionCookieName}=;`));
    // The old cookie, replayed, no longer opens anything.
    expect((await app.request('/api/me', { headers: { Cookie: cookie } })).status).toBe(401);
  });

  test('cross-site state changes are refused before they reach the cluster', async () => {
    const { cookie } = await signIn('admin');
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const before = (await custom.getClusterCustomObject({
      group: auditingGroup,
      version: auditingVersion,
      plural: webhookPlural,
      name: webhookName,
    })) as { metadata: { resourceVersion: string }; spec: Record<string, unknown> };
    const edit = JSON.stringify({
      apiVersion: auditingApiVersion,
      kind: 'Webhook',
      metadata: { name: webhookName, resourceVersion: before.metadata.resourceVersion },
      spec: { ...before.spec, replicas: 97 },
    });
    const attempts: Array<{ name: string; headers: Record<string, string> }> = [
      { name: 'another origin', headers: { Origin: 'https://evil.example' } },
      { name: 'an opaque origin', headers: { Origin: 'null' } },
      { name: 'a cross-site fetch without Origin', headers: { 'Sec-Fetch-Site': 'cross-site' } },
      { name: 'the cookie without any Origin', headers: {} },
    ];
    for (const attempt of attempts) {
      const response = await app.request('/api/webhook', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Cookie: cookie, ...attempt.headers },
        body: edit,
      });
      expect(response.status, attempt.name).toBe(403);
      const status = (await response.json()) as { reason: string; message: string };
      expect(status.reason, attempt.name).toBe('Forbidden');
      expect(status.message, attempt.name).toContain('Cross-site request refused');
    }
    // Login CSRF: another site cannot sign the browser in as someone else.
    const login = await app.request('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ token: token('admin') }),
    });
    expect(login.status).toBe(403);
    expect(login.headers.get('set-cookie')).toBeNull();
    // The KubeSphere query API is behind the same check.
    const kapis = await app.request('/kapis/tenant.kubesphere.io/v1alpha2/auditing/events', {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'https://evil.example' },
    });
    expect(kapis.status).toBe(403);

    const after = (await custom.getClusterCustomObject({
      group: auditingGroup,
      version: auditingVersion,
      plural: webhookPlural,
      name: webhookName,
    })) as { spec: { replicas?: number } };
    // Other test files may write the Webhook meanwhile; none writes this value.
    expect(after.spec.replicas).not.toBe(97);
  });

  test('the same write from the console origin goes through the check (and reaches the cluster)', async () => {
    const { cookie } = await signIn('viewer');
    // A viewer's write passes the Origin check and is refused by the cluster, not by the CSRF guard.
    const response = await app.request('/api/webhook?dryRun=All', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: origin },
      body: JSON.stringify({ metadata: { resourceVersion: '1' }, spec: {} }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).not.toContain('Cross-site');
  });

  test('sign-in attempts are rate limited with 429 and Retry-After, good tokens included', async () => {
    const limited = createApp({
      version: '0.0.0',
      consoleDir: dir,
      probes: {},
      cluster: clusterAccess('local', kubeConfig),
      signInRateLimit: { limit: 3, windowMs: 60_000 },
    });
    const attempt = (value: string) =>
      limited.request('/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ token: value }),
      });
    expect((await attempt('guess-1')).status).toBe(401);
    expect((await attempt('guess-2')).status).toBe(401);
    expect((await attempt('guess-3')).status).toBe(401);
    const refused = await attempt(token('admin'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(((await refused.json()) as { reason: string }).reason).toBe('TooManyRequests');
    // Other routes are not limited.
    expect((await limited.request('/api/healthz')).status).toBe(200);
  });

  test('a printed sign-in link signs in once as the kubeconfig identity, then is spent', async () => {
    const code = signInCodes.mint();
    const first = await app.request(`/api/session/link?code=${encodeURIComponent(code)}`);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    const cookie = setCookie.split(';')[0]!;
    const session = (await (await app.request('/api/session', { headers: { Cookie: cookie } })).json()) as SessionInfo;
    // The test kubeconfig's current context is admin.
    expect(session).toMatchObject({ signedIn: true, via: 'kubeconfig', user: { username: 'admin' } });

    const again = await app.request(`/api/session/link?code=${encodeURIComponent(code)}`);
    expect(again.status).toBe(401);
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  test('a body over the limit is a 413 Status, before anything reads it', async () => {
    const small = createApp({
      version: '0.0.0',
      consoleDir: dir,
      probes: {},
      cluster: clusterAccess('local', kubeConfig),
      bodyLimitBytes: 64 * 1024,
    });
    const response = await small.request('/api/webhook', {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token('admin')}`,
        Origin: origin,
      },
      body: JSON.stringify({ metadata: { resourceVersion: '1' }, spec: { args: ['x'.repeat(100 * 1024)] } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge' });
  });

  test('the server log names requests and users but never a token, session id or sign-in code', async () => {
    const lines: string[] = [];
    const logged = createApp({
      version: '0.0.0',
      consoleDir: dir,
      probes: {},
      cluster: clusterAccess('local', kubeConfig),
      signInCodes,
      logger: createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } }),
    });
    const signedIn = await signIn('tenant', logged);
    const sessionId = signedIn.cookie.split('=')[1]!;
    await logged.request('/api/me', { headers: { Cookie: signedIn.cookie } });
    await logged.request('/api/webhook', { headers: { Authorization: `Bearer ${token('viewer')}` } });
    await logged.request('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ token: 'a-wrong-token-that-must-not-be-logged' }),
    });
    const code = signInCodes.mint();
    await logged.request(`/api/session/link?code=${code}`);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const secret of [token('tenant'), token('viewer'), sessionId, code, 'a-wrong-token-that-must-not-be-logged']) {
      expect(log).not.toContain(secret);
    }
    const requests = lines.map(
      (line) => JSON.parse(line) as { msg: string; path?: string; user?: string; status?: number },
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ msg: 'request', path: '/api/me', user: 'tenant', status: 200 }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ msg: 'request', path: '/api/webhook', user: 'viewer', status: 200 }),
    );
  });
});
