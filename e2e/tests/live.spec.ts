import { expect, kubectl, signIn, test, uniqueName } from '../fixtures.ts';

test('a kubectl change shows in the live stream within two seconds', async ({ page }, testInfo) => {
  await signIn(page, 'admin');
  const name = uniqueName('e2e-live');
  // Filtered to the test's own object: on a busy namespace its row would scroll out of the list (and out of
  // the DOM, which is virtualized) before it could be looked at.
  await page.goto(`/live?namespace=demo&name=${name}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await kubectl('admin', ['create', 'configmap', name, '-n', 'demo']);
  const started = Date.now();
  const table = page.getByRole('table', { name: 'Live audit events' });
  const row = table.getByRole('row').filter({ hasText: name }).filter({ hasText: 'create' });
  await expect(row.first()).toBeVisible({ timeout: 2_000 });
  testInfo.annotations.push({ type: 'latency', description: `${Date.now() - started} ms after kubectl returned` });
  await page.screenshot({ path: testInfo.outputPath('live.png'), fullPage: true });
  await kubectl('admin', ['delete', 'configmap', name, '-n', 'demo', '--wait=false']);
});

test('filters live in the URL and reach the stream', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/live');
  const form = page.getByRole('form', { name: 'Live filters' });
  const kept = uniqueName('e2e-kept');
  const deleted = uniqueName('e2e-gone');
  await form.getByLabel('Namespace').fill('demo');
  await form.getByLabel('Verb').fill('delete');
  // Only the test's two objects, so the demo traffic's own deletes cannot push their rows out of view.
  await form.getByLabel('Name', { exact: true }).fill(`${kept},${deleted}`);
  await form.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/namespace=demo/);
  await expect(page).toHaveURL(/verb=delete/);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  await kubectl('admin', ['create', 'configmap', kept, '-n', 'demo']);
  await kubectl('admin', ['create', 'configmap', deleted, '-n', 'demo']);
  await kubectl('admin', ['delete', 'configmap', deleted, '-n', 'demo']);
  const table = page.getByRole('table', { name: 'Live audit events' });
  await expect(table.getByRole('row').filter({ hasText: deleted }).first()).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: kept })).toHaveCount(0);
  for (const row of await table.getByRole('row').filter({ hasNotText: 'Verb' }).all()) {
    await expect(row).toContainText('delete');
  }

  // Reloading keeps the filters: they are the URL.
  await page.reload();
  await expect(page.getByRole('form', { name: 'Live filters' }).getByLabel('Namespace')).toHaveValue('demo');
  await kubectl('admin', ['delete', 'configmap', kept, '-n', 'demo', '--wait=false']);
});

test('pausing holds new events behind an "N new" count until resumed', async ({ page }) => {
  await signIn(page, 'admin');
  const name = uniqueName('e2e-paused');
  await page.goto(`/live?namespace=demo&resource=configmaps&name=${name}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Paused' })).toBeVisible();

  await kubectl('admin', ['create', 'configmap', name, '-n', 'demo']);
  const resume = page.getByRole('button', { name: /Resume \(\d+ new\)/ });
  await expect(resume).toBeVisible();
  const table = page.getByRole('table', { name: 'Live audit events' });
  await expect(table.getByRole('row').filter({ hasText: name })).toHaveCount(0);

  await resume.click();
  await expect(table.getByRole('row').filter({ hasText: name }).first()).toBeVisible();
  await kubectl('admin', ['delete', 'configmap', name, '-n', 'demo', '--wait=false']);
});

test('the detail drawer shows the event, opens from the keyboard and closes with Escape', async ({
  page,
}, testInfo) => {
  await signIn(page, 'admin');
  const name = uniqueName('e2e-pod');
  await page.goto(`/live?namespace=demo&name=${name}`);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await kubectl('admin', ['run', name, '-n', 'demo', '--image=registry.example/none:1', '--restart=Never']);
  const table = page.getByRole('table', { name: 'Live audit events' });
  const row = table.getByRole('row').filter({ hasText: name }).filter({ hasText: 'create' }).first();
  await expect(row).toBeVisible();

  const open = row.getByRole('button');
  await open.focus();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: 'Event details' });
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/event=/);
  // Pods are audited at RequestResponse in the local cluster's policy: the objects are there, as text.
  await expect(drawer.getByLabel('Request object')).toContainText(`"name": "${name}"`);
  await expect(drawer.getByText(`kubectl get pods ${name} -n demo -o yaml`)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('live-drawer.png'), fullPage: true });

  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(page).not.toHaveURL(/event=/);
  await expect(open).toBeFocused();
  await kubectl('admin', ['delete', 'pod', name, '-n', 'demo', '--wait=false']);
});
