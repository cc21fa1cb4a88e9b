import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { enableKubernetesAuditing, expect, kubectl, signIn, test, uniqueName } from '../fixtures.ts';

/*
 * The Rules page against the e2e cluster: the shipped Rule CRs with their load status, the playground on
 * the archive, and editing a Rule CR in the YAML editor. The shipped Rules are the cluster's own and other
 * specs rely on them, so the editing test works on a Rule CR of its own and deletes it.
 */

const ruleNamespace = 'kubesphere-logging-system';

// Tall enough that the YAML editor shows the whole test Rule (monaco draws only the lines in view).
test.use({ viewport: { width: 1280, height: 2000 } });

async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** Creates a Rule CR as admin with kubectl; returns a cleanup that deletes it. */
const deletesInDemo = [
  '    - name: e2e-deletes',
  '      type: rule',
  '      desc: deletes in demo',
  '      condition: Verb = "delete" and ObjectRef.Namespace = "demo"',
  '      enable: true',
  '      priority: INFO',
];

async function createRule(
  name: string,
  { type = 'archiving', items = deletesInDemo }: { type?: string; items?: string[] } = {},
): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'rules-e2e-'));
  const file = join(dir, 'rule.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: auditing.kubesphere.io/v1alpha1',
      'kind: Rule',
      'metadata:',
      `  name: ${name}`,
      `  namespace: ${ruleNamespace}`,
      '  labels:',
      `    type: ${type}`,
      'spec:',
      '  rules:',
      ...items,
      '',
    ].join('\n'),
  );
  try {
    await kubectl('admin', ['apply', '-f', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return async () => {
    await kubectl('admin', ['delete', 'rules.auditing.kubesphere.io', name, '-n', ruleNamespace, '--ignore-not-found']);
  };
}

async function ruleField(name: string, jsonPath: string): Promise<string> {
  return (
    await kubectl('admin', [
      'get',
      'rules.auditing.kubesphere.io',
      name,
      '-n',
      ruleNamespace,
      '-o',
      `jsonpath={${jsonPath}}`,
    ])
  ).trim();
}

test('the shipped Rule CRs are listed with each item and its load status', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/rules');
  await expect(page.getByRole('heading', { level: 1, name: 'Rules' })).toBeVisible();

  const archiving = page.getByRole('region', { name: `Rule ${ruleNamespace}/archiving-rule` });
  await expect(archiving.getByText('type=archiving')).toBeVisible();
  const archivingItem = archiving.getByRole('row', { name: /^archiving / });
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a KubeSphere rule reference, not a template
  await expect(archivingItem).toContainText('Verb not in ${ignore-action}');
  await expect(archivingItem).toContainText('Active (archives)');

  const alerting = page.getByRole('region', { name: `Rule ${ruleNamespace}/alerting-rule` });
  await expect(alerting.getByRole('row', { name: /^AttachOrExecPod / })).toContainText('Active (archives and alerts)');
  await expect(page.getByText(/Load status as the receiver applies it/)).toBeVisible();
});

test('a condition typed in the playground shows the matching recent events as you type', async ({ page }, testInfo) => {
  await enableKubernetesAuditing();
  const configMap = uniqueName('playground');
  await kubectl('admin', ['create', 'configmap', configMap, '-n', 'demo', '--from-literal=a=b']);
  try {
    await signIn(page, 'admin');
    await page.goto('/rules');
    // Demo traffic and the controllers write dozens of events a minute: test the last 500, as a user would.
    await page.getByLabel('Recent events to test').selectOption('500');
    const condition = page.getByRole('textbox', { name: 'Condition' });
    await condition.fill(`ObjectRef.Name = "${configMap}" and Verb = "create"`);
    const summary = page.locator('#playground-summary');
    // The receiver archives within a second or so; the playground asks again every few seconds.
    await expect(summary).toContainText(/^1 of \d+ recent archived events match\./, { timeout: 20_000 });
    const matches = page.getByRole('table', { name: 'Matching events' });
    await expect(matches.getByRole('row')).toHaveCount(2);
    await expect(matches).toContainText(configMap);
    await expect(matches).toContainText('configmaps');
    // The condition is kept in the address, so a link tries the same one.
    await expect(page).toHaveURL(new RegExp(`condition=.*${configMap}`));

    // A half-typed condition is a syntax error with its place, not a failure.
    await condition.press('End');
    await condition.pressSequentially(' and (');
    await expect(summary).toContainText(/Syntax error at line 1, column \d+/);
    await expect(page.locator('.syntax-pointer')).toContainText('^');
    await keepScreenshot(page, testInfo, 'rules-playground');

    for (let i = 0; i < ' and ('.length; i++) await condition.press('Backspace');
    await condition.pressSequentially(' or ObjectRef.Name = "no-such-object"');
    await expect(summary).toContainText(/^1 of \d+ recent archived events match\./);
  } finally {
    await kubectl('admin', ['delete', 'configmap', configMap, '-n', 'demo', '--ignore-not-found']);
  }
});

test('a Rule with a schema error is refused with the marker shown; the fixed Rule is saved to the cluster', async ({
  page,
}, testInfo) => {
  // Monaco and the dry-run diff load on a busy 2-core machine: more than the default minute at times.
  test.slow();
  const name = uniqueName('e2e-rule');
  const remove = await createRule(name);
  try {
    await signIn(page, 'admin');
    await page.goto('/rules');
    const card = page.getByRole('region', { name: `Rule ${ruleNamespace}/${name}` });
    await expect(card.getByRole('row', { name: /^e2e-deletes / })).toContainText('Active (archives)');
    await card.getByRole('button', { name: `Edit YAML of ${ruleNamespace}/${name}` }).click();
    await expect(page).toHaveURL(new RegExp(`edit=${ruleNamespace}%2F${name}`));

    const editor = page.getByTestId('yaml-editor');
    await expect(editor).toContainText('enable: true');
    const problems = page.getByRole('region', { name: 'Problems in the YAML' });
    await expect(problems).toContainText('No problems found');

    // A schema error: `enable` is a boolean in the Rule CRD.
    const enableLine = editor.locator('.view-line').filter({ hasText: 'enable: true' });
    await enableLine.click();
    await page.keyboard.press('End');
    for (let i = 0; i < 'true'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('maybe');
    await page.keyboard.press('Escape');
    await expect(editor).toContainText('enable: maybe');
    await expect(problems).toContainText(/1 problem \(1 error\)/);
    await expect(problems).toContainText(/Incorrect type\. Expected "boolean"/);
    // The marker is drawn in the editor itself too.
    await expect(editor.locator('.squiggly-error')).toHaveCount(1);

    await page.getByRole('button', { name: 'Review and save' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /Not saved: the YAML has 1 error/ })).toBeVisible();
    await expect(page.getByTestId('dry-run-review')).toHaveCount(0);
    await keepScreenshot(page, testInfo, 'rules-schema-error-refused');
    expect(await ruleField(name, '.spec.rules[0].enable')).toBe('true');

    // Fixed: the rule switched off, which is valid.
    const brokenLine = editor.locator('.view-line').filter({ hasText: 'enable: maybe' });
    await brokenLine.click();
    await page.keyboard.press('End');
    for (let i = 0; i < 'maybe'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('false');
    await page.keyboard.press('Escape');
    await expect(problems).toContainText('No problems found');

    await page.getByRole('button', { name: 'Review and save' }).click();
    const review = page.getByTestId('dry-run-review');
    await expect(review.getByRole('heading', { name: 'Review: what the cluster would store' })).toBeVisible();
    await expect(review).toContainText('enable: false');
    expect(await ruleField(name, '.spec.rules[0].enable')).toBe('true');
    await review.getByRole('button', { name: 'Save to the cluster' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: /Saved\. The cluster now holds resourceVersion/ }),
    ).toBeVisible();
    expect(await ruleField(name, '.spec.rules[0].enable')).toBe('false');

    // The receiver reloads the Rule, and the list says the item is now disabled.
    await expect(card.getByRole('row', { name: /^e2e-deletes / })).toContainText('Disabled', { timeout: 15_000 });
    await keepScreenshot(page, testInfo, 'rules-saved');
  } finally {
    await remove();
  }
});

test('an item’s Try button works from the keyboard and tests its condition with its Rule’s macros', async ({
  page,
}) => {
  await signIn(page, 'admin');
  await page.goto('/rules');
  const alerting = page.getByRole('region', { name: `Rule ${ruleNamespace}/alerting-rule` });
  const tryButton = alerting.getByRole('button', { name: 'Try the condition of AttachOrExecPod in the playground' });
  await tryButton.focus();
  await page.keyboard.press('Enter');
  // The item's condition has references to its own Rule's macros: they resolve against alerting-rule.
  const condition = page.getByRole('textbox', { name: 'Condition' });
  await expect(condition).toHaveValue(/\$\{/);
  await expect(page.getByText(/references resolve against the macros, lists and aliases of Rule/)).toBeVisible();
  await expect(page.locator('#playground-summary')).toContainText(/^\d+ of \d+ recent archived events match\./);
});

test('a viewer sees the Rules read-only, with the reason beside the disabled Edit buttons', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/rules');
  const archiving = page.getByRole('region', { name: `Rule ${ruleNamespace}/archiving-rule` });
  const edit = archiving.getByRole('button', { name: `Edit YAML of ${ruleNamespace}/archiving-rule` });
  await expect(edit).toBeDisabled();
  await expect(edit).toHaveAccessibleDescription(/does not allow you to update rules/);
  await expect(page.getByText(/^Read only: .*does not allow you to update rules/)).toBeVisible();
  // Reading and trying conditions stay open to the viewer.
  await page.getByRole('textbox', { name: 'Condition' }).fill('Verb = "create"');
  await expect(page.locator('#playground-summary')).toContainText(/^\d+ of \d+ recent archived events match\./);
});

test('a condition from the playground is added to a Rule CR through the form', async ({ page }) => {
  // Monaco and the dry-run diff load on a busy 2-core machine: more than the default minute at times.
  test.slow();
  const name = uniqueName('e2e-rule');
  const remove = await createRule(name);
  try {
    await signIn(page, 'admin');
    await page.goto('/rules');
    const condition = 'Verb = "delete" and ObjectRef.Resource = "secrets"';
    await page.getByRole('textbox', { name: 'Condition' }).fill(condition);
    await expect(page.locator('#playground-summary')).toContainText(/^\d+ of \d+ recent archived events match\./);

    await page.getByText('Save this condition as a rule item…').click();
    const add = page.getByRole('button', { name: 'Add the item to the Rule' });
    // Without a Rule CR and a name, the form says what is missing beside each field.
    await add.click();
    await expect(page.getByRole('combobox', { name: 'Rule CR' })).toHaveAccessibleDescription(
      'choose the Rule CR to add the item to',
    );
    await expect(page.getByLabel('Item name')).toHaveAccessibleDescription('name is required');

    await page.getByRole('combobox', { name: 'Rule CR' }).selectOption(`${ruleNamespace}/${name}`);
    // A name the Rule already has would silently replace that item in KubeSphere: refused.
    await page.getByLabel('Item name').fill('e2e-deletes');
    await add.click();
    await expect(page.getByLabel('Item name')).toHaveAccessibleDescription(
      /already has an item named e2e-deletes; choose another name/,
    );

    await page.getByLabel('Item name').fill('secret-deletes');
    await page.getByRole('radio', { name: /^WARNING/ }).check();
    await add.click();
    await expect(
      page.getByRole('status').filter({ hasText: `Added secret-deletes to Rule ${ruleNamespace}/${name}` }),
    ).toBeVisible();

    expect(await ruleField(name, '.spec.rules[1].name')).toBe('secret-deletes');
    expect(await ruleField(name, '.spec.rules[1].condition')).toBe(condition);
    expect(await ruleField(name, '.spec.rules[1].priority')).toBe('WARNING');
    expect(await ruleField(name, '.spec.rules[1].enable')).toBe('true');
    const card = page.getByRole('region', { name: `Rule ${ruleNamespace}/${name}` });
    await expect(card.getByRole('row', { name: /^secret-deletes / })).toContainText('Active (archives)', {
      timeout: 15_000,
    });
  } finally {
    await remove();
  }
});

test('a whole Rule CR is tested on recent events: which items match and the alert each would send', async ({
  page,
}) => {
  await enableKubernetesAuditing();
  const name = uniqueName('e2e-alert');
  const configMap = uniqueName('alerted');
  const remove = await createRule(name, {
    type: 'alerting',
    items: [
      '    - name: created-it',
      '      type: rule',
      `      condition: Verb = "create" and ObjectRef.Name = "${configMap}"`,
      '      enable: true',
      '      priority: WARNING',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: KubeSphere output placeholders, not a template
      '      output: ${User.username} created ${ObjectRef.Name}',
      '    - name: deleted-it',
      '      type: rule',
      `      condition: Verb = "delete" and ObjectRef.Name = "${configMap}"`,
      '      enable: true',
      '      priority: WARNING',
    ],
  });
  await kubectl('admin', ['create', 'configmap', configMap, '-n', 'demo', '--from-literal=a=b']);
  try {
    await signIn(page, 'admin');
    await page.goto('/rules');
    await page.getByRole('button', { name: `Test on recent events (${ruleNamespace}/${name})` }).click();
    await expect(page).toHaveURL(new RegExp(`test=${ruleNamespace}%2F${name}`));
    const results = page.getByRole('region', { name: `Rule ${ruleNamespace}/${name} on recent events` });
    // The receiver archives within a second or so; the test asks again every few seconds.
    await expect(results).toContainText(/1 of \d+ recent archived events match a rule of/, { timeout: 20_000 });
    const items = results.getByRole('table', { name: `Rule items of ${ruleNamespace}/${name}` });
    await expect(items.getByRole('row', { name: /^created-it / })).toContainText('archives and alerts');
    await expect(items.getByRole('row', { name: /^created-it / })).toContainText(/1$/);
    await expect(items.getByRole('row', { name: /^deleted-it / })).toContainText(/0$/);
    const events = results.getByRole('table', { name: `Events matched by ${ruleNamespace}/${name}` });
    await expect(events).toContainText(`Alert: admin created ${configMap}`);
  } finally {
    await kubectl('admin', ['delete', 'configmap', configMap, '-n', 'demo', '--ignore-not-found']);
    await remove();
  }
});
