import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, keepScreenshots, kubectl, signIn, test, uniqueName } from '../fixtures.ts';

/*
 * The CRDs pages against the e2e cluster: search CRDs, list a CRD's objects with its printer columns, and
 * edit the Webhook kube-auditing-webhook in the schema-aware YAML editor: a schema error refuses the save;
 * a concurrent kubectl edit leads to the three-way merge, whose result is what the cluster then holds. The
 * Webhook is the cluster's own and other specs rely on it, so every test puts back what it changed.
 */

const webhookCrd = 'webhooks.auditing.kubesphere.io';
const webhookTarget = [webhookCrd, 'kube-auditing-webhook'];
const editorPath = `/crds/${webhookCrd}/objects/kube-auditing-webhook`;

// Tall enough that the YAML editor shows the whole Webhook (monaco draws only the lines in view).
test.use({ viewport: { width: 1280, height: 2000 } });

async function webhookField(jsonPath: string): Promise<string> {
  return (await kubectl('admin', ['get', ...webhookTarget, '-o', `jsonpath={${jsonPath}}`])).trim();
}

async function mergePatchWebhook(patch: unknown): Promise<void> {
  await kubectl('admin', ['patch', ...webhookTarget, '--type=merge', '-p', JSON.stringify(patch)]);
}

/** Replaces the value on the editor line that shows `line` (e.g. `replicas: 2`) by typing, as a user does. */
async function retype(page: Page, editor: Locator, line: string, value: string): Promise<void> {
  await editor.locator('.view-line').filter({ hasText: line }).click();
  await page.keyboard.press('End');
  const old = line.slice(line.indexOf(':') + 2);
  for (let i = 0; i < old.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(value);
  // Close a completion list that typing may have opened.
  await page.keyboard.press('Escape');
}

/** A namespaced CRD of the test's own, with printer columns and a category, and two objects; returns a cleanup. */
async function createGadgetCrd(group: string, category: string, namespace: string): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'crds-e2e-'));
  const crdFile = join(dir, 'crd.yaml');
  const objectsFile = join(dir, 'objects.yaml');
  writeFileSync(
    crdFile,
    `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: Gadget, plural: gadgets, singular: gadget, categories: [${category}] }
  versions:
    - name: v1
      served: true
      storage: true
      additionalPrinterColumns:
        - { name: Color, type: string, jsonPath: .spec.color }
        - { name: Size, type: integer, jsonPath: .spec.size }
        - { name: Owner, type: string, jsonPath: .spec.owner, priority: 1 }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                color: { type: string, enum: [red, green] }
                size: { type: integer }
                owner: { type: string }
`,
  );
  writeFileSync(
    objectsFile,
    ['red', 'green']
      .map(
        (color, index) => `apiVersion: ${group}/v1
kind: Gadget
metadata: { name: gadget-${color}, namespace: ${namespace} }
spec: { color: ${color}, size: ${index + 1}, owner: team-${color} }
`,
      )
      .join('---\n'),
  );
  try {
    await kubectl('admin', ['create', 'namespace', namespace]);
    await kubectl('admin', ['apply', '-f', crdFile]);
    await kubectl('admin', ['wait', '--for=condition=Established', `crd/gadgets.${group}`, '--timeout=30s']);
    await kubectl('admin', ['apply', '-f', objectsFile]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return async () => {
    await kubectl('admin', ['delete', 'crd', `gadgets.${group}`, '--ignore-not-found', '--wait=false']);
    await kubectl('admin', ['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
  };
}

test('CRDs are found by category and short name with their counts; a CRD lists its objects with its printer columns', async ({
  page,
}, testInfo) => {
  const group = `${uniqueName('e2e')}.auditorium.test`;
  const category = uniqueName('gizmos');
  const namespace = uniqueName('crds-e2e');
  const remove = await createGadgetCrd(group, category, namespace);
  try {
    await signIn(page, 'admin');
    await page.goto('/crds');
    await expect(page.getByRole('heading', { level: 1, name: 'CRDs' })).toBeVisible();
    const search = page.getByRole('searchbox', { name: /Name, group, kind, short name or category/ });
    const table = page.getByRole('table', { name: 'Custom resource definitions' });

    await search.fill('awh');
    await expect(page).toHaveURL(/q=awh/);
    const webhookRow = table.getByRole('row').filter({ hasText: webhookCrd });
    await expect(webhookRow).toContainText('Cluster');
    // The seed's one Webhook, kube-auditing-webhook.
    await expect(webhookRow.getByRole('cell').last()).toHaveText('1');
    await keepScreenshots(page, testInfo, 'crds-search');

    await search.fill(category);
    await expect(page).toHaveURL(new RegExp(`q=${category}`));
    await expect(table.getByRole('row')).toHaveCount(2);
    const gadgetRow = table.getByRole('row').filter({ hasText: `gadgets.${group}` });
    await expect(gadgetRow).toContainText('Namespaced');
    await expect(gadgetRow).toContainText(category);
    await expect(gadgetRow.getByRole('cell').last()).toHaveText('2');
    // The scope filter is in the URL too: a cluster-scoped search has no Gadget.
    await page.getByRole('combobox', { name: 'Scope' }).selectOption('Cluster');
    await expect(page).toHaveURL(/scope=Cluster/);
    await expect(page.getByRole('status').filter({ hasText: 'No CRD matches.' })).toBeVisible();
    await page.getByRole('combobox', { name: 'Scope' }).selectOption('');

    await gadgetRow.getByRole('link', { name: 'Gadget' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Gadget' })).toBeVisible();
    const objects = page.getByRole('table', { name: 'Gadget objects' });
    await expect(objects.getByRole('columnheader')).toHaveText(['Namespace', 'Name', 'Color', 'Size', 'Age']);
    await expect(objects.getByRole('row', { name: /gadget-green/ })).toContainText('green');
    await expect(objects.getByRole('row', { name: /gadget-red/ }).getByRole('cell')).toHaveText([
      namespace,
      'gadget-red',
      'red',
      '1',
      /^\d+s$/,
    ]);
    // Wide: the priority-1 column, as kubectl get -o wide.
    await page.getByRole('checkbox', { name: /Wide columns/ }).check();
    await expect(objects.getByRole('columnheader', { name: 'Owner' })).toBeVisible();
    await expect(objects.getByRole('row', { name: /gadget-red/ })).toContainText('team-red');
    // Another namespace has none; the namespace is part of the URL.
    await page.getByLabel(/Namespace \(empty: all you may list\)/).fill('demo');
    await expect(page).toHaveURL(/namespace=demo/);
    await expect(page.getByRole('status').filter({ hasText: 'No Gadget objects in namespace demo.' })).toBeVisible();
    await page.getByLabel(/Namespace \(empty: all you may list\)/).fill(namespace);
    await expect(objects.getByRole('row')).toHaveCount(3);
    await keepScreenshots(page, testInfo, 'crd-objects');
  } finally {
    await remove();
  }
});

test('the Webhook editor hovers and completes from the schema, marks a schema-invalid value and refuses its save', async ({
  page,
}, testInfo) => {
  const replicas = await webhookField('.spec.replicas');
  await signIn(page, 'admin');
  await page.goto(`/crds/${webhookCrd}`);
  await page.getByRole('link', { name: 'Edit Webhook kube-auditing-webhook' }).click();
  await expect(page).toHaveURL(new RegExp(`${editorPath}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Webhook kube-auditing-webhook' })).toBeVisible();

  const editor = page.getByTestId('yaml-editor');
  await expect(editor).toContainText(`replicas: ${replicas}`);
  // managedFields are hidden by default.
  await expect(editor).not.toContainText('managedFields');
  const problems = page.getByRole('region', { name: 'Problems in the YAML' });
  await expect(problems).toContainText('No problems found');
  // Shown on request, with the URL saying so.
  await page.getByRole('checkbox', { name: /Show metadata\.managedFields/ }).check();
  await expect(editor).toContainText('managedFields:');
  await expect(page).toHaveURL(/managedFields=true/);
  await page.getByRole('checkbox', { name: /Show metadata\.managedFields/ }).uncheck();
  await expect(editor).not.toContainText('managedFields');

  // Hover shows the CRD's description of a field, and audit-model's meaning of its value.
  await editor.locator('.view-line').filter({ hasText: 'auditLevel:' }).getByText('auditLevel').hover();
  await expect(
    page.locator('.monaco-hover').filter({ hasText: 'The Level that all requests are recorded at' }),
  ).toBeVisible();
  // Completion offers the spec's fields not set yet.
  await editor.locator('.view-line').filter({ hasText: 'useHTTPS:' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget')).toContainText('auditSinkPolicy');
  await page.keyboard.press('Escape');
  await expect(problems).toContainText('No problems found');

  await retype(page, editor, `replicas: ${replicas}`, 'many');
  await expect(editor).toContainText('replicas: many');
  await expect(problems).toContainText(/1 problem \(1 error\)/);
  await expect(problems).toContainText(/Incorrect type\. Expected "integer"/);
  await expect(editor.locator('.squiggly-error')).toHaveCount(1);

  await page.getByRole('button', { name: 'Review and save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /Not saved: the YAML has 1 error/ })).toBeVisible();
  await expect(page.getByTestId('dry-run-review')).toHaveCount(0);
  await keepScreenshots(page, testInfo, 'crd-editor-schema-error');
  expect(await webhookField('.spec.replicas')).toBe(replicas);

  // The unsaved-changes guard asks before leaving the page; staying keeps the draft.
  await page.getByRole('link', { name: 'CRDs', exact: true }).first().click();
  const guard = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(guard).toBeVisible();
  await guard.getByRole('button', { name: 'Stay and keep editing' }).click();
  await expect(editor).toContainText('replicas: many');
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(editor).toContainText(`replicas: ${replicas}`);
});

test('a concurrent kubectl edit is announced, the save opens the three-way merge, and the merged result is stored', async ({
  page,
}, testInfo) => {
  const original = Number(await webhookField('.spec.replicas'));
  const mine = original + 1;
  const theirs = original + 2;
  const marker = uniqueName('theirs');
  try {
    await signIn(page, 'admin');
    await page.goto(editorPath);
    const editor = page.getByTestId('yaml-editor');
    await expect(editor).toContainText(`replicas: ${original}`);
    await retype(page, editor, `replicas: ${original}`, String(mine));
    await expect(page.getByRole('region', { name: 'Problems in the YAML' })).toContainText('No problems found');

    // Someone else changes the same field, and another one, while the editor is open.
    await mergePatchWebhook({
      metadata: { annotations: { 'auditorium.test/concurrent-edit': marker } },
      spec: { replicas: theirs },
    });
    await expect(page.getByTestId('remote-change')).toContainText(/changed on the server while you edit it/);

    await page.getByRole('button', { name: 'Review and save' }).click();
    const merge = page.getByTestId('merge-view');
    await expect(merge.getByRole('heading', { name: /was changed by someone else while you edited it/ })).toBeVisible();
    await expect(merge).toContainText('1 field changed on both sides');
    const conflict = merge.getByRole('group', { name: 'spec.replicas' });
    await expect(conflict).toContainText(String(theirs));
    await expect(merge.getByRole('button', { name: 'Save the merged result' })).toBeDisabled();
    await keepScreenshots(page, testInfo, 'crd-editor-merge');

    await conflict.getByRole('radio', { name: 'Keep yours' }).check();
    await merge.getByRole('button', { name: 'Save the merged result' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: /Saved\. The cluster now holds resourceVersion/ }),
    ).toBeVisible();
    // Yours for the field both changed, theirs for the field only they changed.
    expect(await webhookField('.spec.replicas')).toBe(String(mine));
    expect(await webhookField(".metadata.annotations['auditorium\\.test/concurrent-edit']")).toBe(marker);
    await expect(editor).toContainText(`replicas: ${mine}`);
    await expect(editor).toContainText(marker);
    await keepScreenshots(page, testInfo, 'crd-editor-merged');
  } finally {
    await mergePatchWebhook({
      metadata: { annotations: { 'auditorium.test/concurrent-edit': null } },
      spec: { replicas: original },
    });
  }
});

test('a change the server refuses shows its 422 causes at their fields in the editor', async ({ page }, testInfo) => {
  await signIn(page, 'admin');
  await page.goto(editorPath);
  const editor = page.getByTestId('yaml-editor');
  await expect(editor).toContainText('name: kube-auditing-webhook');
  // The schema allows any name; the server refuses one that is not the object the page edits.
  await retype(page, editor, 'name: kube-auditing-webhook', 'another-webhook');
  const problems = page.getByRole('region', { name: 'Problems in the YAML' });
  await expect(problems).toContainText('No problems found');

  await page.getByRole('button', { name: 'Review and save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid (422)' })).toBeVisible();
  await expect(problems).toContainText('metadata.name: must be kube-auditing-webhook, as in the URL (from the server)');
  await expect(page.getByTestId('dry-run-review')).toHaveCount(0);
  await keepScreenshots(page, testInfo, 'crd-editor-server-causes');
  expect(await webhookField('.metadata.name')).toBe('kube-auditing-webhook');
});

test('a viewer gets the Webhook read-only, with the cluster’s reason beside the disabled save', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto(editorPath);
  const editor = page.getByTestId('yaml-editor');
  await expect(editor).toContainText('kind: Webhook');
  await expect(
    page.getByText(/^Read only: The cluster does not allow you to update webhooks\.auditing\.kubesphere\.io/),
  ).toBeVisible();
  const save = page.getByRole('button', { name: 'Review and save' });
  await expect(save).toBeDisabled();
  await expect(save).toHaveAccessibleDescription(/does not allow you to update webhooks/);
  // Typing changes nothing in a read-only editor.
  await editor.locator('.view-line').filter({ hasText: 'kind: Webhook' }).click();
  await page.keyboard.type('x');
  await expect(editor).toContainText('kind: Webhook');
  await expect(page.getByText('No changes')).toBeVisible();
});
