import { enableKubernetesAuditing, expect, kubectl, replaceField, signIn, test, uniqueName } from '../fixtures.ts';

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

test("the docs' mistakes show on the Overview and are fixed where they link to", async ({ page }, testInfo) => {
  const webhookRef = ['webhooks.auditing.kubesphere.io', 'kube-auditing-webhook'];
  const configRef = ['configmap', 'kubesphere-config', '-n', 'kubesphere-system'];
  const readConfig = () => kubectl('admin', ['get', ...configRef, '-o', 'jsonpath={.data.kubesphere\\.yaml}']);
  const originalSpec = await kubectl('admin', ['get', ...webhookRef, '-o', 'jsonpath={.spec}']);
  const originalYaml = await readConfig();
  expect(originalYaml).toMatch(/^ {2}enable: true$/m);
  try {
    // What KubeSphere's docs show: an archiving selector of type: persistence, and auditing.enabled.
    await kubectl('admin', [
      'patch',
      ...webhookRef,
      '--type=merge',
      '-p',
      JSON.stringify({
        spec: { auditSinkPolicy: { archivingRuleSelector: { matchLabels: { type: 'persistence' } } } },
      }),
    ]);
    await replaceField(
      configRef,
      '/data/kubesphere.yaml',
      originalYaml.replace(/^ {2}enable: true$/m, '  enabled: true'),
    );

    await signIn(page, 'admin');
    await page.goto('/');
    const problems = page.getByRole('list', { name: 'Misconfigurations' });
    const selectorProblem = problems
      .getByRole('listitem')
      .filter({ hasText: 'The archiving rule selector (type=persistence) matches no Rule' });
    await expect(selectorProblem).toContainText("type=persistence comes from KubeSphere's docs");
    await expect(selectorProblem).toContainText('spec.auditSinkPolicy.archivingRuleSelector');
    const configProblem = problems
      .getByRole('listitem')
      .filter({ hasText: 'auditing.enabled is ignored by ks-apiserver: the key is auditing.enable' });
    await expect(configProblem).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('overview-misconfigurations.png'), fullPage: true });

    // The selector one leads to the selector in the form: its check is brought into view and focused.
    await selectorProblem.getByRole('link', { name: 'Fix in Auditing settings' }).click();
    await expect(page).toHaveURL(/\/settings(\?[^#]*)?#spec\.auditSinkPolicy\.archivingRuleSelector$/);
    const selectorCheck = page.locator('[data-field="spec.auditSinkPolicy.archivingRuleSelector"]');
    await expect(selectorCheck).toContainText('matches no Rule');
    await expect(selectorCheck).toBeFocused();
    await expect(selectorCheck).toBeInViewport();
    await page.goto('/');

    // The kubesphere.yaml one is fixed from the settings page it links to.
    await configProblem.getByRole('link', { name: 'Fix in Auditing settings' }).click();
    await expect(page).toHaveURL(/\/settings(\?[^#]*)?$/);
    const kubesphere = page.getByRole('region', { name: 'KubeSphere auditing (ks-apiserver)' });
    await expect(kubesphere.getByRole('alert')).toContainText('auditing.enabled is ignored by ks-apiserver');
    // The selector one shows beside the selector in the form.
    await expect(page.locator('#archiving-selector-check')).toContainText('matches no Rule');
    await kubesphere.getByRole('button', { name: 'Fix it: write auditing.enable: true' }).click();
    await expect(kubesphere.getByText('Problems in kubesphere.yaml')).toHaveCount(0);
    await expect(kubesphere.getByRole('checkbox', { name: /ks-apiserver sends audit events/ })).toBeChecked();
    const fixed = await readConfig();
    expect(fixed).toMatch(/^ {2}enable: true$/m);
    expect(fixed).not.toContain('enabled:');
    expect(fixed).toContain('# KubeSphere writes https://kube-auditing-webhook-svc');
  } finally {
    await replaceField(webhookRef, '/spec', JSON.parse(originalSpec));
    await replaceField(configRef, '/data/kubesphere.yaml', originalYaml);
  }
});
