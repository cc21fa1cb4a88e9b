import { enableKubernetesAuditing, expect, kubectl, signIn, test, uniqueName } from '../fixtures.ts';

test('the overview shows both sources, the event counters, misconfigurations and component health', async ({
  page,
}, testInfo) => {
  await enableKubernetesAuditing();
  await signIn(page, 'admin');
  const name = uniqueName('e2e-overview');
  await kubectl('admin', ['create', 'configmap', name, '-n', 'demo']);
  await page.goto('/');

  const kubernetes = page.getByRole('article', { name: 'Kubernetes source' });
  await expect(kubernetes).toContainText('On');
  await expect(kubernetes).toContainText(/Last event: \d+ (s|min) ago/);
  await expect(page.getByRole('article', { name: 'KubeSphere source' })).toContainText(/On|Off/);

  for (const counter of ['Live events/s', 'Received', 'Archived', 'Alerted', 'Dropped']) {
    await expect(page.getByRole('term').filter({ hasText: new RegExp(`^${counter}$`) })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: 'Misconfigurations' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Components' }).getByText('receiver')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });
  await kubectl('admin', ['delete', 'configmap', name, '-n', 'demo', '--wait=false']);
});

test('each misconfiguration links to the page that fixes it', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/');
  const problems = page.getByRole('list', { name: 'Misconfigurations' });
  // The seeded KubeSphere 3.4 rules read RequestObject while auditLevel is Metadata: always one to fix.
  await expect(problems.getByRole('listitem').first()).toBeVisible();
  await problems.getByRole('link', { name: 'Fix in Auditing settings' }).first().click();
  await expect(page).toHaveURL(/\/settings/);
  await expect(page.getByRole('heading', { level: 1, name: 'Auditing settings' })).toBeVisible();
});

test('a tenant sees why the checks it may not run were skipped', async ({ page }, testInfo) => {
  await signIn(page, 'tenant');
  await page.goto('/');
  await expect(page.getByText(/Some checks were skipped: The cluster does not allow you to get/).first()).toBeVisible();
  await expect(page.getByRole('article', { name: 'Kubernetes source' })).toContainText('Unknown');
  await page.screenshot({ path: testInfo.outputPath('overview-tenant.png'), fullPage: true });
});
