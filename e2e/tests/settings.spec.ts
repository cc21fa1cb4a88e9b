import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { parse } from 'yaml';
import { expect, keepScreenshots, kubectl, replaceField, signIn, test } from '../fixtures.ts';

/*
 * Auditing settings against the e2e cluster: the Webhook kube-auditing-webhook and ConfigMap
 * kubesphere-system/kubesphere-config are the cluster's own (seeded once, as KubeSphere installs them) and other
 * specs read them, so every test puts back what it changed.
 */

const webhookRef = ['webhooks.auditing.kubesphere.io', 'kube-auditing-webhook'];
const configRef = ['configmap', 'kubesphere-config', '-n', 'kubesphere-system'];

// Tall enough that the YAML editor renders the whole Webhook (monaco draws only the lines in view).
test.use({ viewport: { width: 1280, height: 2400 } });

async function webhookField(jsonPath: string): Promise<string> {
  return (await kubectl('admin', ['get', ...webhookRef, '-o', `jsonpath={${jsonPath}}`])).trim();
}

/** The Webhook KubeSphere 3.4.1 installs, as the local cluster seeds it. */
const seededSpec = (
  parse(
    readFileSync(join(import.meta.dirname, '../../packages/local-cluster/seed/kube-auditing/webhook.yaml'), 'utf8'),
  ) as { spec: Record<string, unknown> }
).spec;

/**
 * Starts the test from the Webhook as KubeSphere installs it (whatever an earlier test left), keeping
 * k8sAuditingEnabled, which other specs switch on; returns what puts back the spec the test found.
 */
async function keepWebhookSpec(): Promise<() => Promise<void>> {
  const spec = JSON.parse(await kubectl('admin', ['get', ...webhookRef, '-o', 'jsonpath={.spec}'])) as Record<
    string,
    unknown
  >;
  const start = { ...seededSpec, k8sAuditingEnabled: spec.k8sAuditingEnabled === true };
  await replaceField(webhookRef, '/spec', start);
  return () => replaceField(webhookRef, '/spec', spec);
}

function auditLevelGroup(page: Page) {
  return page.getByRole('group', { name: 'Audit level of KubeSphere requests' });
}

async function openSettings(page: Page, user: 'admin' | 'viewer' = 'admin') {
  await signIn(page, user);
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Auditing settings' })).toBeVisible();
  await expect(auditLevelGroup(page)).toBeVisible();
}

test('changing auditLevel in the form: the level check updates, the dry run is reviewed, the cluster holds it', async ({
  page,
}, testInfo) => {
  const restore = await keepWebhookSpec();
  try {
    expect(await webhookField('.spec.auditLevel')).toBe('Metadata');
    await openSettings(page);
    const level = auditLevelGroup(page);
    await expect(level.getByRole('radio', { name: 'Metadata', exact: true })).toBeChecked();
    // KubeSphere's shipped alerting rules read RequestObject, which Metadata never carries: said beside the field.
    const levelWarning = page.locator('#auditLevel-problems');
    await expect(levelWarning).toContainText(/\d+ enabled rules can never fire for KubeSphere events at this level/);
    await expect(levelWarning).toContainText('alerting-rule/CreateHostnetworkPod');
    await keepScreenshots(page, testInfo, 'settings-form');

    // Keyboard: the radio group is reached and changed without a mouse.
    await level.getByRole('radio', { name: 'Metadata', exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(level.getByRole('radio', { name: 'Request', exact: true })).toBeChecked();
    await expect(levelWarning).toHaveCount(0);
    await expect(page.getByText('Checks on your unsaved changes: no misconfiguration found.')).toBeVisible();

    await page.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByTestId('dry-run-review');
    await expect(review.getByRole('heading', { name: 'Review: what the cluster would store' })).toBeVisible();
    // The diff: the stored object on the left, the apiserver's dry-run answer on the right.
    await expect(review).toContainText('auditLevel: Metadata');
    await expect(review).toContainText('auditLevel: Request');
    await keepScreenshots(page, testInfo, 'settings-dry-run');
    // A dry run stores nothing.
    expect(await webhookField('.spec.auditLevel')).toBe('Metadata');

    await review.getByRole('button', { name: 'Save to the cluster' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: /Saved\. The cluster now holds resourceVersion \d+/ }),
    ).toBeVisible();
    expect(await webhookField('.spec.auditLevel')).toBe('Request');
    await expect(page.getByText('Checks on the stored Webhook: no misconfiguration found.')).toBeVisible();
  } finally {
    await restore();
  }
});

test('the YAML tab and the form edit the same draft', async ({ page }) => {
  const restore = await keepWebhookSpec();
  try {
    await openSettings(page);
    await page.getByLabel('Replicas').fill('3');

    // Keyboard: the arrow keys move between the tabs (WAI-ARIA tabs pattern).
    await page.getByRole('tab', { name: 'Form' }).focus();
    await page.keyboard.press('ArrowRight');
    const yamlTab = page.getByRole('tab', { name: 'YAML' });
    await expect(yamlTab).toHaveAttribute('aria-selected', 'true');
    await expect(yamlTab).toBeFocused();
    await expect(page).toHaveURL(/tab=yaml/);

    const editor = page.getByTestId('yaml-editor');
    await expect(editor).toContainText('replicas: 3');
    // Edit the YAML by hand: auditLevel Metadata → RequestResponse.
    const levelLine = editor.locator('.view-line').filter({ hasText: 'auditLevel: Metadata' });
    await levelLine.click();
    await page.keyboard.press('End');
    for (let i = 0; i < 'Metadata'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('RequestResponse');
    await page.keyboard.press('Escape');
    await expect(editor).toContainText('auditLevel: RequestResponse');
    // The checks follow the YAML too: nothing left to warn about at RequestResponse.
    await expect(page.getByText('Checks on your unsaved changes: no misconfiguration found.')).toBeVisible();

    await page.getByRole('tab', { name: 'Form' }).click();
    await expect(auditLevelGroup(page).getByRole('radio', { name: 'RequestResponse', exact: true })).toBeChecked();
    await expect(page.getByLabel('Replicas')).toHaveValue('3');

    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect(auditLevelGroup(page).getByRole('radio', { name: 'Metadata', exact: true })).toBeChecked();
    await expect(page.getByLabel('Replicas')).toHaveValue('2');
    expect(await webhookField('.spec.replicas')).toBe('2');
  } finally {
    await restore();
  }
});

test("the server's refusal shows its Kubernetes Status cause at the field, and nothing is saved", async ({ page }) => {
  await openSettings(page);
  await page.getByRole('tab', { name: 'YAML' }).click();
  const editor = page.getByTestId('yaml-editor');
  // Renaming the one Webhook the receiver and ks-apiserver read: valid YAML, refused by the server.
  const nameLine = editor.locator('.view-line').filter({ hasText: 'name: kube-auditing-webhook' });
  await nameLine.click();
  await page.keyboard.press('End');
  await page.keyboard.type('-renamed');
  await page.keyboard.press('Escape');
  await expect(editor).toContainText('name: kube-auditing-webhook-renamed');

  await page.getByRole('button', { name: 'Review and save' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid (422)' })).toBeVisible();
  // The cause sits at its line in the editor and in the editor's list of problems, which leads there.
  const editorProblems = page.getByRole('region', { name: 'Problems in the YAML' });
  await expect(editorProblems).toContainText('the Webhook must be named kube-auditing-webhook');
  await editorProblems
    .getByRole('button', { name: /^Line \d+, column \d+$/ })
    .first()
    .click();
  await expect(editor.getByRole('textbox')).toBeFocused();
  await expect(page.getByTestId('dry-run-review')).toHaveCount(0);
  expect(await webhookField('.metadata.name')).toBe('kube-auditing-webhook');
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(editor).not.toContainText('kube-auditing-webhook-renamed');
});

test('an edit saved by someone else meanwhile opens the three-way merge instead of being overwritten', async ({
  page,
}, testInfo) => {
  const restore = await keepWebhookSpec();
  try {
    await openSettings(page);
    await auditLevelGroup(page).getByRole('radio', { name: 'Request', exact: true }).check();

    // Someone else, while the form is open: a different auditLevel and a replica count.
    await kubectl('admin', [
      'patch',
      ...webhookRef,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { auditLevel: 'RequestResponse', replicas: 3 } }),
    ]);

    await page.getByRole('button', { name: 'Review and save' }).click();
    const merge = page.getByTestId('merge-view');
    await expect(
      merge.getByRole('heading', { name: /kube-auditing-webhook was changed by someone else while you edited it/ }),
    ).toBeVisible();
    // Their replicas merged without asking; auditLevel changed on both sides is the user's call.
    await expect(merge).toContainText('1 change was combined automatically');
    const conflict = merge.getByRole('group', { name: 'spec.auditLevel' });
    await expect(conflict).toContainText('Metadata');
    await expect(conflict).toContainText('RequestResponse');
    const saveMerged = merge.getByRole('button', { name: 'Save the merged result' });
    await expect(saveMerged).toBeDisabled();
    await keepScreenshots(page, testInfo, 'settings-merge');
    // Nothing was overwritten.
    expect(await webhookField('.spec.auditLevel')).toBe('RequestResponse');

    await conflict.getByRole('radio', { name: 'Keep yours' }).check();
    await saveMerged.click();
    await expect(
      page.getByRole('status').filter({ hasText: /Saved\. The cluster now holds resourceVersion/ }),
    ).toBeVisible();
    expect(await webhookField('.spec.auditLevel')).toBe('Request');
    expect(await webhookField('.spec.replicas')).toBe('3');
  } finally {
    await restore();
  }
});

test('a viewer sees the settings read-only, each disabled action with the reason', async ({ page }, testInfo) => {
  await openSettings(page, 'viewer');
  await expect(page.getByText(/^Read only: The cluster does not allow you to update webhooks/)).toBeVisible();
  await expect(auditLevelGroup(page).getByRole('radio', { name: 'Request', exact: true })).toBeDisabled();
  await expect(page.getByLabel('Replicas')).toBeDisabled();
  const review = page.getByRole('button', { name: 'Review and save' });
  await expect(review).toBeDisabled();
  await expect(review).toHaveAccessibleDescription(/does not allow you to update webhooks/);

  const kubesphere = page.getByRole('region', { name: 'KubeSphere auditing (ks-apiserver)' });
  const auditingSwitch = kubesphere.getByRole('checkbox', { name: /ks-apiserver sends audit events/ });
  await expect(auditingSwitch).toBeDisabled();
  await expect(auditingSwitch).toHaveAccessibleDescription(/does not allow you to update configmaps/);
  const restart = kubesphere.getByRole('button', { name: 'Restart ks-apiserver' });
  await expect(restart).toBeDisabled();
  await expect(restart).toHaveAccessibleDescription(/does not allow you to patch deployments/);
  await keepScreenshots(page, testInfo, 'settings-viewer');
});

test('receivers and rule selectors are edited in the form, and their misconfigurations show beside them', async ({
  page,
}, testInfo) => {
  const restore = await keepWebhookSpec();
  try {
    // A receiver with both url and service, as a hand edit could leave it (the CRD does not stop it).
    await kubectl('admin', [
      'patch',
      ...webhookRef,
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'add', path: '/spec/receivers/0/config/url', value: 'http://alertmanager.example:9093' }]),
    ]);
    await openSettings(page);
    const receiver = page.getByRole('group', { name: 'Receiver alert' });
    await expect(receiver).toContainText('Receiver "alert" has both url and service');
    await expect(page.getByRole('region', { name: /Checks on the stored Webhook/ })).toContainText(
      'spec.receivers[0].config',
    );

    // Fixed in the form: the Service is the destination, the url goes.
    await receiver.getByRole('button', { name: 'Keep the Service, drop the URL' }).click();
    await expect(receiver).not.toContainText('has both url and service');

    // The docs' archiving selector: type=persistence matches no Rule.
    const archiving = page.getByRole('group', { name: 'Archiving rule selector (matchLabels)' });
    await archiving.getByRole('button', { name: 'Add label' }).click();
    await archiving.getByRole('textbox', { name: /key 1/ }).fill('type');
    await archiving.getByRole('textbox', { name: /value 1/ }).fill('persistence');
    const selectorCheck = page.locator('#archiving-selector-check');
    await expect(selectorCheck).toContainText('matches no Rule');
    await expect(selectorCheck).toContainText("type=persistence comes from KubeSphere's docs");
    await keepScreenshots(page, testInfo, 'settings-selector-warning');
    await archiving.getByRole('textbox', { name: /value 1/ }).fill('archiving');
    await expect(selectorCheck).toContainText('Selects kubesphere-logging-system/archiving-rule');
    await expect(selectorCheck).not.toContainText('matches no Rule');

    // A second receiver: a webhook URL.
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    const hook = page.getByRole('group', { name: 'Receiver webhook-2' });
    await hook.getByRole('textbox', { name: 'URL' }).fill('https://hooks.example/audit');

    await page.getByRole('button', { name: 'Review and save' }).click();
    await page.getByTestId('dry-run-review').getByRole('button', { name: 'Save to the cluster' }).click();
    await expect(page.getByRole('status').filter({ hasText: /Saved\./ })).toBeVisible();

    const receivers = JSON.parse(await webhookField('.spec.receivers')) as Array<{
      name: string;
      type: string;
      config: { url?: string; service?: { name: string } };
    }>;
    expect(receivers).toEqual([
      expect.objectContaining({
        name: 'alert',
        config: { service: expect.objectContaining({ name: 'alertmanager-main' }) },
      }),
      { name: 'webhook-2', type: 'webhook', config: { url: 'https://hooks.example/audit' } },
    ]);
    expect(JSON.parse(await webhookField('.spec.auditSinkPolicy.archivingRuleSelector'))).toEqual({
      matchLabels: { type: 'archiving' },
    });
  } finally {
    await restore();
  }
});

test('the KubeSphere auditing switch edits kubesphere.yaml in place and restarts ks-apiserver with its progress', async ({
  page,
}, testInfo) => {
  const originalYaml =
    (await kubectl('admin', ['get', ...configRef, '-o', 'jsonpath={.data.kubesphere\\.yaml}'])) ?? '';
  const readConfig = async () => kubectl('admin', ['get', ...configRef, '-o', 'jsonpath={.data.kubesphere\\.yaml}']);
  const restartedAt = async () =>
    (
      await kubectl('admin', [
        'get',
        'deployment',
        'ks-apiserver',
        '-n',
        'kubesphere-system',
        '-o',
        'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}',
      ])
    ).trim();
  try {
    expect((parse(originalYaml) as { auditing: { enable: boolean } }).auditing.enable).toBe(true);
    const before = await restartedAt();
    await openSettings(page);
    const kubesphere = page.getByRole('region', { name: 'KubeSphere auditing (ks-apiserver)' });
    const auditingSwitch = kubesphere.getByRole('checkbox', { name: /ks-apiserver sends audit events/ });
    await expect(auditingSwitch).toBeChecked();

    for (const enable of [false, true]) {
      // A click, not setChecked: the box shows what the cluster holds, so it flips once the write is stored.
      await auditingSwitch.click();
      await expect(auditingSwitch).toBeChecked({ checked: enable });
      await expect(kubesphere.getByText('The change takes effect when ks-apiserver restarts.')).toBeVisible();
      const stored = await readConfig();
      expect((parse(stored) as { auditing: { enable: boolean } }).auditing.enable).toBe(enable);
      // Only the one key changed: the admin's comments and the other sections are as they were.
      expect(stored).toContain('# KubeSphere writes https://kube-auditing-webhook-svc');
      expect(stored.replace(/enable: (true|false)/, 'enable: X')).toBe(
        originalYaml.replace(/enable: (true|false)/, 'enable: X'),
      );

      const previous = await restartedAt();
      await kubesphere.getByRole('button', { name: 'Restart ks-apiserver' }).click();
      await expect.poll(restartedAt).not.toBe(previous);
      const progress = kubesphere.getByRole('progressbar', { name: /ks-apiserver rollout/ });
      await expect(progress).toBeVisible();
      await expect(kubesphere.getByText('Deployment "ks-apiserver" successfully rolled out.')).toBeVisible({
        timeout: 60_000,
      });
      if (!enable) await keepScreenshots(page, testInfo, 'settings-ks-restart');
      const stamped = await restartedAt();
      expect(stamped).not.toBe(before);
      await expect(kubesphere.getByText(/Restart requested at \d{4}-\d\d-\d\d/)).toBeVisible();
      expect(Date.parse(stamped)).toBeGreaterThan(Date.now() - 5 * 60_000);
      await expect(auditingSwitch).toBeChecked({ checked: enable });
    }
  } finally {
    const now = await readConfig();
    if (now !== originalYaml) await replaceField(configRef, '/data/kubesphere.yaml', originalYaml);
  }
});

test('a tenant, who may not read the Webhook, gets the cluster’s refusal and no form', async ({ page }) => {
  await signIn(page, 'tenant');
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Auditing settings' })).toBeVisible();
  const refusal = page.getByRole('alert').filter({ hasText: 'Not allowed (403)' });
  await expect(refusal).toContainText('webhooks.auditing.kubesphere.io "kube-auditing-webhook" is forbidden');
  await expect(auditLevelGroup(page)).toHaveCount(0);
  await expect(
    page
      .getByRole('region', { name: 'KubeSphere auditing (ks-apiserver)' })
      .getByText(/does not allow you to get configmaps/),
  ).toBeVisible();
});
