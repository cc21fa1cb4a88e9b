import type { Page } from '@playwright/test';
import { enableKubernetesAuditing, expect, kubectl, signIn, test, uniqueName } from '../fixtures.ts';

// These tests find kubectl's changes in the archive, so kube-apiserver's events must be archived.
test.beforeAll(enableKubernetesAuditing);

const imgPayload = '<img src=x onerror=window.__auditoriumXss=1;alert(1)>';
const scriptPayload = '<script>window.__auditoriumXss=1;alert(2)</script>';

/** Nothing the payloads would create or set exists: the page holds them as text only. */
async function expectInert(page: Page) {
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await page.evaluate(() => (window as { __auditoriumXss?: unknown }).__auditoriumXss)).toBeUndefined();
}

test('HTML and script in audit events stay text in the live view and its drawer', async ({
  page,
  dialogs,
}, testInfo) => {
  await signIn(page, 'admin');
  const pod = uniqueName('e2e-xss');
  // Only the test's two objects: on the busy demo namespace their rows would scroll out of the (virtualized)
  // list while the drawer is open.
  await page.goto(`/live?namespace=demo&name=${encodeURIComponent(`${imgPayload},${pod}`)}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  // The object name of a request is audit content too: a get of a configmap named like markup (404).
  await kubectl('admin', ['get', 'configmap', imgPayload, '-n', 'demo', '--ignore-not-found']);
  // Pods are audited at RequestResponse: the annotation reaches the request and response objects.
  await kubectl('admin', [
    'run',
    pod,
    '-n',
    'demo',
    '--image=registry.example/none:1',
    '--restart=Never',
    `--annotations=note=${scriptPayload}`,
    `--labels=app=${pod}`,
  ]);

  const table = page.getByRole('table', { name: 'Live audit events' });
  const markupRow = table.getByRole('row').filter({ hasText: imgPayload }).first();
  await expect(markupRow).toBeVisible();
  const podRow = table.getByRole('row').filter({ hasText: pod }).filter({ hasText: 'create' }).first();
  await expect(podRow).toBeVisible();
  await expectInert(page);

  await podRow.getByRole('button').click();
  const drawer = page.getByRole('dialog', { name: 'Event details' });
  await expect(drawer.getByLabel('Request object')).toContainText(scriptPayload);
  await expectInert(page);
  await page.screenshot({ path: testInfo.outputPath('xss-live-drawer.png'), fullPage: true });
  await page.keyboard.press('Escape');

  await markupRow.getByRole('button').click();
  await expect(page.getByRole('dialog', { name: 'Event details' })).toContainText(imgPayload);
  await expectInert(page);
  expect(dialogs).toEqual([]);
  await kubectl('admin', ['delete', 'pod', pod, '-n', 'demo', '--wait=false']);
});

test('HTML in archived events stays text in search results and the metadata drawer', async ({ page, dialogs }) => {
  await signIn(page, 'admin');
  const pod = uniqueName('e2e-xss-archive');
  await kubectl('admin', [
    'run',
    pod,
    '-n',
    'demo',
    '--image=registry.example/none:1',
    '--restart=Never',
    `--annotations=note=${imgPayload}`,
  ]);
  // admin's create, audited at RequestResponse, carries the annotation; the scheduler's pods/binding create
  // and kwok's pods/status patches of the same pod are archived too (resource type matches them), without it.
  await page.goto(`/search?name=${pod}&resource=pods&user=admin&range=1h`);
  const results = page.getByRole('table', { name: 'Archived audit events' });
  const createRow = results.getByRole('row').filter({ hasText: pod }).filter({ hasText: 'create' }).first();
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(createRow).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await createRow.getByRole('button').click();
  await expect(page.getByRole('dialog', { name: 'Metadata' })).toContainText(imgPayload);
  await expectInert(page);
  expect(dialogs).toEqual([]);
  await kubectl('admin', ['delete', 'pod', pod, '-n', 'demo', '--wait=false']);
});

test('a tenant sees only its own namespace, live and in the archive', async ({ page }, testInfo) => {
  const other = uniqueName('e2e-other');
  await kubectl('admin', ['create', 'namespace', other]);
  await signIn(page, 'tenant');
  const mine = uniqueName('e2e-tenant');
  const theirs = uniqueName('e2e-hidden');
  // Asks for both objects by name: the server's scope, not the filter, must hold back the other namespace's.
  // (Unfiltered, the demo traffic would scroll `mine` out of the virtualized list before it was looked at.)
  await page.goto(`/live?name=${mine},${theirs}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  await kubectl('admin', ['create', 'configmap', theirs, '-n', other]);
  await kubectl('admin', ['create', 'configmap', mine, '-n', 'demo']);
  const table = page.getByRole('table', { name: 'Live audit events' });
  await expect(table.getByRole('row').filter({ hasText: mine }).first()).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: theirs })).toHaveCount(0);
  // The Namespace column of every row shown (a CSS [role] selector would miss the cells' implicit role).
  const liveNamespaces = await table.locator('tbody tr td:nth-child(5)').allTextContents();
  expect(new Set(liveNamespaces)).toEqual(new Set(['demo']));
  // Unfiltered, whatever the demo traffic brings is from tenant's namespace too.
  await page.goto('/live');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const unfilteredNamespaces = await table.locator('tbody tr td:nth-child(5)').allTextContents();
  expect(new Set(unfilteredNamespaces)).toEqual(new Set(['demo']));
  await page.screenshot({ path: testInfo.outputPath('tenant-live.png'), fullPage: true });

  // By name again, so newer archived events cannot push `mine` off the first page.
  await page.goto(`/search?name=${mine},${theirs}&range=1h`);
  const results = page.getByRole('table', { name: 'Archived audit events' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(results.getByRole('row').filter({ hasText: mine }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const projects = await results.locator('tbody tr td:nth-child(5)').allTextContents();
  expect(new Set(projects)).toEqual(new Set(['demo']));
  await expect(results.getByRole('row').filter({ hasText: theirs })).toHaveCount(0);

  // Asking for the other namespace by name finds nothing rather than leaking it.
  await page.goto(`/search?namespace=${other}&range=1h`);
  await expect(page.getByText('0 search results')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('tenant-search.png'), fullPage: true });
  await kubectl('admin', ['delete', 'namespace', other, '--wait=false']);
  await kubectl('admin', ['delete', 'configmap', mine, '-n', 'demo', '--wait=false']);
});
