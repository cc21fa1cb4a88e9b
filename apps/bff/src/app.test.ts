import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createApp } from './app.ts';

function builtConsole() {
  const dir = mkdtempSync(join(tmpdir(), 'console-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Auditorium</title><div id="root"></div>');
  return dir;
}

describe('console listener', () => {
  test('health reports each component and is degraded when one is down', async () => {
    const app = createApp({
      version: '1.2.3',
      consoleDir: builtConsole(),
      probes: {
        console: () => ({ state: 'ok' }),
        cluster: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:6444');
        },
      },
    });
    const response = await app.request('/api/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'degraded',
      version: '1.2.3',
      components: {
        console: { state: 'ok' },
        cluster: { state: 'down', reason: 'connect ECONNREFUSED 127.0.0.1:6444' },
      },
    });
  });

  test.each([
    { name: 'a client-side route', path: '/rules' },
    { name: 'a nested client-side route', path: '/crds/webhooks.auditing.kubesphere.io' },
  ])('serves index.html for $name', async ({ path }) => {
    const app = createApp({ version: '0.0.0', consoleDir: builtConsole(), probes: {} });
    const response = await app.request(path);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  test('says how to build the console when it is missing', async () => {
    const app = createApp({ version: '0.0.0', consoleDir: join(tmpdir(), 'no-such-console'), probes: {} });
    const response = await app.request('/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('npm start');
  });

  test('every response carries a CSP without inline script', async () => {
    const app = createApp({ version: '0.0.0', consoleDir: builtConsole(), probes: {} });
    const response = await app.request('/api/healthz');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
