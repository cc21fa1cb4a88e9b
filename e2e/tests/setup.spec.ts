import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { parse } from 'yaml';
import { enableKubernetesAuditing, expect, keepScreenshots, kubectl, signIn, test, uniqueName } from '../fixtures.ts';

/*
 * Kubernetes setup: the files for kube-apiserver, generated from the cluster (the receiver Service's ClusterIP,
 * the receiver's CA from its Secret) and the archive (the events/day estimate), copied and downloaded the way a
 * user does it.
 */

interface WebhookKubeconfig {
  apiVersion: string;
  kind: string;
  'current-context': string;
  clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: { cluster: string; user?: string } }>;
}

async function receiverFacts() {
  const clusterIP = (
    await kubectl('admin', [
      'get',
      'service',
      'kube-auditing-webhook-svc',
      '-n',
      'kubesphere-logging-system',
      '-o',
      'jsonpath={.spec.clusterIP}',
    ])
  ).trim();
  const caBundle = (
    await kubectl('admin', [
      'get',
      'secret',
      'kube-auditing-webhook-secret',
      '-n',
      'kubesphere-logging-system',
      '-o',
      'jsonpath={.data.caBundle}',
    ])
  ).trim();
  return { clusterIP, caPem: Buffer.from(caBundle, 'base64').toString('utf8') };
}

/** What kube-apiserver would do with the file: the current context's cluster, which must verify the receiver. */
function checkWebhookKubeconfig(text: string, expected: { clusterIP: string; caPem: string }) {
  const kubeconfig = parse(text) as WebhookKubeconfig;
  expect(kubeconfig).toMatchObject({ apiVersion: 'v1', kind: 'Config' });
  const context = kubeconfig.contexts.find((entry) => entry.name === kubeconfig['current-context']);
  expect(context, 'current-context names a context').toBeDefined();
  const cluster = kubeconfig.clusters.find((entry) => entry.name === context?.context.cluster)?.cluster;
  expect(cluster?.server).toBe(`https://${expected.clusterIP}:6443/audit/webhook/event`);
  expect(cluster?.['insecure-skip-tls-verify']).toBeUndefined();
  expect(text).not.toContain('insecure-skip-tls-verify');
  const caPem = Buffer.from(String(cluster?.['certificate-authority-data']), 'base64').toString('utf8');
  expect(caPem).toContain('-----BEGIN CERTIFICATE-----');
  expect(caPem.trim()).toBe(expected.caPem.trim());
}

function fileText(page: Page, title: string) {
  return page.getByRole('textbox', { name: `${title} text` });
}

test('the setup page generates the policy, the webhook kubeconfig and the flags, in order, with an estimate', async ({
  page,
}, testInfo) => {
  // Some kube-apiserver traffic in the archive for the estimate to scale from.
  await enableKubernetesAuditing();
  const name = uniqueName('e2e-setup');
  await kubectl('admin', ['create', 'configmap', name, '-n', 'demo']);
  await kubectl('admin', ['delete', 'configmap', name, '-n', 'demo']);
  const receiver = await receiverFacts();
  expect(receiver.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

  await signIn(page, 'admin');
  await page.goto('/setup');
  await expect(page.getByRole('heading', { level: 1, name: 'Kubernetes setup' })).toBeVisible();

  // The steps come in the order they are done.
  await expect(page.getByRole('region', { name: 'Kubernetes setup' }).getByRole('heading', { level: 2 })).toHaveText([
    '1. What to record',
    '2. Where to send it',
    '3. The files',
    'Steps, in order',
  ]);
  const steps = page.getByRole('region', { name: 'Steps, in order' }).getByRole('listitem');
  await expect(steps.first()).toContainText('Copy the files to every control-plane node');
  await expect(steps.last()).toContainText('Verify.');

  // The recommended policy by default, as kube-apiserver's Policy.
  await expect(page.getByRole('radio', { name: 'Recommended' })).toBeChecked();
  const policy = parse(await fileText(page, 'Policy').inputValue()) as {
    apiVersion: string;
    kind: string;
    omitStages: string[];
    rules: Array<{ level: string }>;
  };
  expect(policy).toMatchObject({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'] });
  expect(policy.rules.map((rule) => rule.level)).toContain('None');
  expect(policy.rules.at(-1)?.level).toBe('Metadata');

  checkWebhookKubeconfig(await fileText(page, 'Webhook kubeconfig').inputValue(), receiver);

  const flags = fileText(page, 'kube-apiserver flags and mount');
  await expect(flags).toHaveValue(/--audit-webhook-config-file=\/etc\/kubernetes\/audit\/audit-webhook\.yaml/);
  await expect(flags).toHaveValue(/--audit-policy-file=\/etc\/kubernetes\/audit\/audit-policy\.yaml/);
  await expect(flags).toHaveValue(/--audit-webhook-batch-max-wait=1s/);

  // The estimate, from the archive's recent kube-apiserver traffic.
  const estimate = page.getByRole('region', { name: 'How many events to expect' });
  await expect(estimate.getByTestId('events-per-day')).toHaveText(/^[\d.]+[KMB]? events a day$/);
  await expect(estimate.getByRole('table', { name: 'Largest contributors' })).toBeVisible();
  await keepScreenshots(page, testInfo, 'setup');

  // Choices change the files and stay in the address.
  await page.getByRole('radio', { name: 'Minimal: metadata of everything' }).check();
  await expect(fileText(page, 'Policy')).toHaveValue(/preset "minimal"/);
  await page.getByLabel('Send a batch at least every').selectOption('5s');
  await expect(flags).toHaveValue(/--audit-webhook-batch-max-wait=5s/);
  await expect(page).toHaveURL(/preset=minimal/);
  await expect(page).toHaveURL(/maxWait=5s/);
  await page.reload();
  await expect(fileText(page, 'Policy')).toHaveValue(/preset "minimal"/);
  await expect(flags).toHaveValue(/--audit-webhook-batch-max-wait=5s/);
});

test('the generated files are copied and downloaded as they are shown', async ({ page, context }, testInfo) => {
  const receiver = await receiverFacts();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, 'admin');
  await page.goto('/setup');
  const shownKubeconfig = await fileText(page, 'Webhook kubeconfig').inputValue();
  expect(shownKubeconfig).not.toBe('');

  // Download: a real file download with the file's name, holding the same YAML.
  const [webhookDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download audit-webhook.yaml' }).click(),
  ]);
  expect(webhookDownload.suggestedFilename()).toBe('audit-webhook.yaml');
  const savedKubeconfig = testInfo.outputPath('audit-webhook.yaml');
  await webhookDownload.saveAs(savedKubeconfig);
  const downloadedKubeconfig = await readFile(savedKubeconfig, 'utf8');
  expect(downloadedKubeconfig).toBe(shownKubeconfig);
  checkWebhookKubeconfig(downloadedKubeconfig, receiver);

  const [policyDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download audit-policy.yaml' }).click(),
  ]);
  expect(policyDownload.suggestedFilename()).toBe('audit-policy.yaml');
  const savedPolicy = testInfo.outputPath('audit-policy.yaml');
  await policyDownload.saveAs(savedPolicy);
  const downloadedPolicy = parse(await readFile(savedPolicy, 'utf8')) as { kind: string; rules: unknown[] };
  expect(downloadedPolicy.kind).toBe('Policy');
  expect(downloadedPolicy.rules.length).toBeGreaterThan(1);

  // Copy: the clipboard holds exactly the text shown.
  const policyBlock = page.getByRole('region', { name: /^Policy/ });
  await policyBlock.getByRole('button', { name: 'Copy audit-policy.yaml' }).click();
  await expect(policyBlock.getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await fileText(page, 'Policy').inputValue());
  const flagsBlock = page.getByRole('region', { name: /^kube-apiserver flags and mount/ });
  await flagsBlock.getByRole('button', { name: 'Copy kube-apiserver flags and mount' }).click();
  await expect(flagsBlock.getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('--audit-webhook-batch-max-wait=1s');

  // Keyboard: the file text is reachable with Tab and selectable without a mouse.
  await policyBlock.getByRole('button', { name: 'Download audit-policy.yaml' }).focus();
  await page.keyboard.press('Tab');
  await expect(fileText(page, 'Policy')).toBeFocused();
});

test('for a user who may not read the receiver Service, the kubeconfig says what to fill in', async ({ page }) => {
  await signIn(page, 'tenant');
  await page.goto('/setup');
  const notes = page.getByRole('list', { name: 'About the receiver' });
  await expect(notes).toContainText('Could not read Service kubesphere-logging-system/kube-auditing-webhook-svc');
  await expect(notes).toContainText('Replace RECEIVER-ADDRESS');
  // The CA still comes from the server's own copy (RECEIVER_CA_FILE), the same one the Secret holds.
  await expect(notes).toContainText('The CA comes from RECEIVER_CA_FILE');
  const kubeconfig = parse(await fileText(page, 'Webhook kubeconfig').inputValue()) as WebhookKubeconfig;
  const cluster = kubeconfig.clusters[0]?.cluster ?? {};
  expect(cluster.server).toBe('https://RECEIVER-ADDRESS:6443/audit/webhook/event');
  const caPem = Buffer.from(String(cluster['certificate-authority-data']), 'base64').toString('utf8');
  expect(caPem.trim()).toBe((await receiverFacts()).caPem.trim());
});
