import { expect, signIn, test } from '../fixtures.ts';

const sections = ['Overview', 'Auditing settings', 'Kubernetes setup', 'Rules', 'CRDs', 'Live events', 'Search'];

test('the console shell offers every section once signed in', async ({ page }, testInfo) => {
  await signIn(page, 'admin');
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const label of sections) {
    await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Components' }).getByText('console')).toBeVisible();
  await expect(page.getByText('Signed in as admin')).toBeVisible();

  await nav.getByRole('link', { name: 'Kubernetes setup' }).click();
  await expect(page).toHaveURL(/\/setup/);
  await expect(page.getByRole('heading', { level: 1, name: 'Kubernetes setup' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Kubernetes setup' })).toHaveAttribute('aria-current', 'page');

  await page.screenshot({ path: testInfo.outputPath('shell.png'), fullPage: true });
});

test('a deep link to a section loads the console, not a 404', async ({ page }) => {
  await signIn(page, 'admin');
  const response = await page.goto('/rules');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Rules' })).toBeVisible();
});

test('the keyboard reaches the content first through the skip link, with focus visible', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  const outline = await skip.evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline).not.toBe('none');
});

test('the theme toggle switches between light and dark', async ({ page }, testInfo) => {
  await signIn(page, 'admin');
  await page.goto('/');
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  await expect(html).not.toHaveAttribute('data-theme', before ?? '');
  await page.screenshot({ path: testInfo.outputPath('shell-other-theme.png'), fullPage: true });
});

test('the health endpoint answers with the version and each component', async ({ request }) => {
  const response = await request.get('/api/healthz');
  expect(response.status()).toBe(200);
  const health = await response.json();
  expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(health.components.console.state).toBe('ok');
  // The local cluster's own processes, each with its phase, from the state file npm start hands the server.
  for (const part of ['build', 'etcd', 'kube-apiserver', 'seed', 'kube-controller-manager', 'kube-scheduler', 'kwok']) {
    expect(health.components[`cluster/${part}`], part).toMatchObject({ state: 'ok', detail: { phase: 'ready' } });
  }
  const ready = await request.get('/api/readyz');
  expect(ready.status(), JSON.stringify(await ready.json())).toBe(200);
});

test('pages carry a strict content security policy', async ({ request }) => {
  const response = await request.get('/');
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
});
