import { expect, test } from '@playwright/test';

const sections = ['Overview', 'Auditing settings', 'Kubernetes setup', 'Rules', 'CRDs', 'Live events', 'Search'];

test('the console shell offers every section and shows what each will hold', async ({ page }, testInfo) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const label of sections) {
    await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Components' }).getByText('console')).toBeVisible();

  await nav.getByRole('link', { name: 'Kubernetes setup' }).click();
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Kubernetes setup' })).toBeVisible();
  await expect(page.getByText('audit policy')).toBeVisible();

  await page.screenshot({ path: testInfo.outputPath('shell.png'), fullPage: true });
});

test('a deep link to a section loads the console, not a 404', async ({ page }) => {
  const response = await page.goto('/rules');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Rules' })).toBeVisible();
});

test('the health endpoint answers with the version and each component', async ({ request }) => {
  const response = await request.get('/api/healthz');
  expect(response.status()).toBe(200);
  const health = await response.json();
  expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(health.components.console.state).toBe('ok');
});

test('pages carry a strict content security policy', async ({ request }) => {
  const response = await request.get('/');
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
});
