import type { Page } from '@playwright/test';
import { enableKubernetesAuditing, expect, kubectl, signIn, test, uniqueName } from '../fixtures.ts';

// These tests find kubectl's changes in the archive, so kube-apiserver's events must be archived.
test.beforeAll(enableKubernetesAuditing);

/** The archive commits asynchronously: refresh until the search shows `text` (or give up after the timeout). */
async function refreshUntilVisible(page: Page, text: string) {
  const results = page.getByRole('table', { name: 'Archived audit events' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(results.getByRole('row').filter({ hasText: text }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

test('exact and fuzzy search find an archived change by its name', async ({ page }, testInfo) => {
  await signIn(page, 'admin');
  const name = uniqueName('e2e-search');
  await kubectl('admin', ['create', 'configmap', name, '-n', 'demo']);

  await page.goto(`/search?namespace=demo&name=${name}&range=1h`);
  await refreshUntilVisible(page, name);
  const results = page.getByRole('table', { name: 'Archived audit events' });
  await expect(results.getByRole('row').filter({ hasText: name }).first()).toContainText('create');
  await page.screenshot({ path: testInfo.outputPath('search.png'), fullPage: true });

  // Exact mode wants the whole name; fuzzy finds a part of it, ignoring case.
  const part = name.slice(3, -2).toUpperCase();
  const form = page.getByRole('form', { name: 'Search the archive' });
  await form.getByLabel('Resource name').fill(part);
  await form.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('0 search results')).toBeVisible();

  await form.getByLabel('Query mode').selectOption('fuzzy');
  await form.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/mode=fuzzy/);
  await expect(results.getByRole('row').filter({ hasText: name }).first()).toBeVisible();

  // The export links carry the same filters. Fuzzy mode applies to the project too, as in KubeSphere
  // (objectref_namespace_search, reference §8.1).
  const ndjson = await page.getByRole('link', { name: 'NDJSON' }).getAttribute('href');
  const exportUrl = new URL(ndjson ?? '', page.url());
  expect(exportUrl.pathname).toBe('/api/events/export');
  expect(exportUrl.searchParams.get('nameSearch')).toBe(part);
  expect(exportUrl.searchParams.get('namespaceSearch')).toBe('demo');
  expect(exportUrl.searchParams.has('namespace')).toBe(false);
  expect(exportUrl.searchParams.get('format')).toBe('ndjson');
  const exported = await page.request.get(exportUrl.href);
  expect(exported.status()).toBe(200);
  expect(await exported.text()).toContain(name);
  await kubectl('admin', ['delete', 'configmap', name, '-n', 'demo', '--wait=false']);
});

test('clicking a histogram bar narrows the range to that bar', async ({ page }, testInfo) => {
  await signIn(page, 'admin');
  const name = uniqueName('e2e-histogram');
  await kubectl('admin', ['create', 'configmap', name, '-n', 'demo']);
  await page.goto('/search?range=1h');
  await refreshUntilVisible(page, name);

  const bars = page.getByRole('list', { name: 'Events over time' }).getByRole('button');
  await expect(bars.first()).toBeVisible();
  const last = bars.last();
  const label = (await last.getAttribute('aria-label')) ?? '';
  await last.click();

  await expect(page).toHaveURL(/start=\d+/);
  const url = new URL(page.url());
  const start = Number(url.searchParams.get('start'));
  const end = Number(url.searchParams.get('end'));
  expect(url.searchParams.get('range')).toBeNull();
  // A one-hour range has one-minute bars; the narrowed range is one of them.
  expect(end - start).toBeGreaterThan(0);
  expect(end - start).toBeLessThanOrEqual(60_000);
  const barCount = Number(/: ([\d,]+) events$/.exec(label)?.[1]?.replaceAll(',', '') ?? Number.NaN);
  const summary = page.getByText(/^[\d,]+ search results$/);
  await expect(summary).toBeVisible();
  // The bar's events, plus any that arrived in that minute since the histogram was drawn.
  const total = Number(((await summary.textContent()) ?? '').replace(/\D/g, ''));
  expect(total).toBeGreaterThanOrEqual(barCount);
  expect(barCount).toBeGreaterThan(0);
  // The narrower range is drawn with finer bars.
  await expect(page.getByRole('list', { name: 'Events over time' }).getByRole('listitem')).not.toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('search-narrowed.png'), fullPage: true });
  await kubectl('admin', ['delete', 'configmap', name, '-n', 'demo', '--wait=false']);
});

test('the metadata drawer opens from a row and closes with Escape', async ({ page }) => {
  await signIn(page, 'admin');
  const name = uniqueName('e2e-drawer');
  await kubectl('admin', ['create', 'configmap', name, '-n', 'demo']);
  await page.goto(`/search?name=${name}&range=1h`);
  await refreshUntilVisible(page, name);
  const row = page.getByRole('table', { name: 'Archived audit events' }).getByRole('row').filter({ hasText: name });
  await row.first().getByRole('button').click();
  const drawer = page.getByRole('dialog', { name: 'Metadata' });
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText(name);
  await expect(page).toHaveURL(/event=/);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(page).not.toHaveURL(/event=/);
  await kubectl('admin', ['delete', 'configmap', name, '-n', 'demo', '--wait=false']);
});

test('scrolling to the end of the results loads the next 50', async ({ page }) => {
  await signIn(page, 'admin');
  // Enough archived events of our own to need a second page.
  const prefix = uniqueName('e2e-page');
  await kubectl('admin', ['create', 'namespace', prefix]);
  for (let index = 0; index < 30; index++) {
    await kubectl('admin', ['create', 'configmap', `cm-${index}`, '-n', prefix]);
  }
  await kubectl('admin', ['delete', 'configmaps', '--all', '-n', prefix]);
  await page.goto(`/search?namespace=${prefix}&range=1h`);
  const results = page.getByRole('table', { name: 'Archived audit events' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText(/^(5[1-9]|[6-9]\d|\d{3,}) search results$/)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(results.locator('tbody tr')).toHaveCount(50);
  await page.getByRole('button', { name: /Load more|Loading/ }).scrollIntoViewIfNeeded();
  await expect(results.locator('tbody tr')).not.toHaveCount(50);
  expect(await results.locator('tbody tr').count()).toBeGreaterThan(50);
  await kubectl('admin', ['delete', 'namespace', prefix, '--wait=false']);
});
