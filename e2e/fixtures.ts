import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { parse } from 'yaml';
// The same kubectl choice as the rest of the repo (one minor of the local apiserver, fetched once if needed).
import { resolveKubectl } from '../packages/local-cluster/src/kubectl.ts';

/** The users the local cluster creates (packages/local-cluster seed/rbac.yaml). */
export type ClusterUser = 'admin' | 'tenant' | 'viewer';

/** Where playwright.config.ts runs the product: its own DATA_DIR, so its cluster is not a developer's. */
export const dataDir = resolve(process.env.E2E_DATA_DIR ?? join(import.meta.dirname, '..', '.auditorium', 'e2e'));
export const kubeconfigPath = join(dataDir, 'cluster', 'kubeconfig');

interface Kubeconfig {
  users?: Array<{ name: string; user?: { token?: string } }>;
}

/** The bearer token of one of the local cluster's users, from the kubeconfig the cluster wrote. */
export function tokenOf(user: ClusterUser): string {
  const kubeconfig = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const token = kubeconfig.users?.find((entry) => entry.name === user)?.user?.token;
  if (!token) throw new Error(`${kubeconfigPath} has no token for user ${user}`);
  return token;
}

/**
 * Signs in as a cluster user. `form` goes through the real sign-in page; `api` posts the token to
 * `/api/session` from the page's browser context, so the HttpOnly cookie lands in that context either way.
 */
export async function signIn(page: Page, user: ClusterUser, via: 'form' | 'api' = 'api'): Promise<void> {
  const token = tokenOf(user);
  if (via === 'form') {
    await page.goto('/sign-in');
    const signedIn = page.getByText(`Signed in as ${user}`);
    // The suite's sign-ins all come from 127.0.0.1 and can use up the rate limit (see below); the form then
    // says "try again in N s", and the test does what a user would: waits that long and signs in again.
    const rateLimited = page.locator('[role="alert"][data-reason="TooManyRequests"]');
    for (let attempt = 0; ; attempt++) {
      await page.getByLabel('Bearer token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(signedIn.or(rateLimited)).toBeVisible();
      if (await signedIn.isVisible()) return;
      const seconds = Number(/try again in (\d+) s/.exec((await rateLimited.textContent()) ?? '')?.[1] ?? 1);
      expect(attempt, 'still rate-limited after a dozen waits').toBeLessThan(12);
      await waitOutRateLimit(page, seconds);
    }
  }
  // page.request shares the browser context's cookie jar, so the session cookie it receives is the page's.
  const post = () =>
    page.request.post('/api/session', {
      data: { token },
      // The BFF checks Origin on every state-changing request; send the one the console's pages would.
      headers: { Origin: consoleOrigin },
    });
  let response = await post();
  // The whole suite signs in from 127.0.0.1, faster than the sign-in rate limit allows (10 a minute): wait as
  // the 429 says, as a well-behaved client would, rather than loosening the limit for tests.
  for (let attempt = 0; response.status() === 429 && attempt < 12; attempt++) {
    const { details } = (await response.json()) as { details?: { retryAfterSeconds?: number } };
    await waitOutRateLimit(page, details?.retryAfterSeconds ?? 1);
    response = await post();
  }
  expect(response.status(), await response.text()).toBe(201);
}

/** Waits as a 429's Retry-After says; the wait is the limiter's, not the test's, so it extends the test's timeout. */
async function waitOutRateLimit(page: Page, seconds: number): Promise<void> {
  base.info().setTimeout(base.info().timeout + seconds * 1000);
  await page.waitForTimeout(seconds * 1000);
}

export const consoleOrigin = `http://127.0.0.1:${process.env.E2E_PORT ?? 18080}`;

let kubectlPath: Promise<string> | undefined;
const run = promisify(execFile);

/** Runs kubectl as one of the cluster's users (`--context <user>` of the e2e kubeconfig); resolves to stdout. */
export async function kubectl(user: ClusterUser, args: string[]): Promise<string> {
  kubectlPath ??= resolveKubectl({ dataDir });
  const { stdout } = await run(await kubectlPath, ['--kubeconfig', kubeconfigPath, '--context', user, ...args], {
    timeout: 30_000,
  });
  return stdout;
}

/**
 * Makes the receiver archive kube-apiserver's events: the seeded Webhook has `k8sAuditingEnabled: false`
 * (KubeSphere's default), which drops them as `k8s-auditing-disabled`. The receiver watches the Webhook, so
 * a change takes effect within moments; events sent before it are not archived, hence the pause.
 */
export async function enableKubernetesAuditing(): Promise<void> {
  const current = await kubectl('admin', [
    'get',
    'webhooks.auditing.kubesphere.io',
    'kube-auditing-webhook',
    '-o',
    'jsonpath={.spec.k8sAuditingEnabled}',
  ]);
  if (current.trim() === 'true') return;
  await kubectl('admin', [
    'patch',
    'webhooks.auditing.kubesphere.io',
    'kube-auditing-webhook',
    '--type=merge',
    '-p',
    '{"spec":{"k8sAuditingEnabled":true}}',
  ]);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
}

/**
 * Replaces one field of a cluster object with a JSON patch, as admin: how tests put an object into the state
 * they need, and back. `target` is kubectl's (`['configmap', 'name', '-n', 'namespace']`).
 */
export async function replaceField(target: string[], path: string, value: unknown): Promise<void> {
  await kubectl('admin', ['patch', ...target, '--type=json', '-p', JSON.stringify([{ op: 'replace', path, value }])]);
}

/** Switches the console's theme with its own toggle, as a user would. */
export async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const current = await page.evaluate(() => document.documentElement.dataset.theme);
  if (current !== theme) await page.getByRole('button', { name: `Switch to ${theme} theme` }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** The page as it looks now in both themes, kept with the test's results; leaves it in the light theme. */
export async function keepScreenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await useTheme(page, theme);
    const path = testInfo.outputPath(`${name}-${theme}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${name} (${theme} theme)`, { path, contentType: 'image/png' });
  }
  await useTheme(page, 'light');
}

/** A name no other test run uses, valid as a Kubernetes object name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * `test` with a `dialogs` trap: every test that uses it fails if the page ever opens an alert, confirm or
 * prompt (an audit event's `<script>` or `onerror=` running would do that).
 */
export const test = base.extend<{ dialogs: string[] }>({
  dialogs: async ({ page }, use) => {
    const opened: string[] = [];
    page.on('dialog', (dialog) => {
      opened.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await use(opened);
    expect(opened, 'the page opened a dialog').toEqual([]);
  },
});

export { expect };
