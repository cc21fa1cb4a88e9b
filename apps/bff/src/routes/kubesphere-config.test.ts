import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubesphereConfig, type Status } from '@auditorium/audit-model';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseDocument } from 'yaml';
import { createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import type { ConflictBody } from '../kube/kube-object.ts';
import { type RolloutState, restartedAtAnnotation } from '../kube/rollout.ts';
import { testKubeConfig } from '../receiver/testing/local-cluster.ts';
import { callAs, jsonOf, type TestApp, type TestUser } from '../testing/cluster-app.ts';
import type { KubesphereConfigView, KubesphereConfigWritten } from './kubesphere-config.ts';

/**
 * ks-apiserver's `auditing` switch in ConfigMap kubesphere-system/kubesphere-config through the BFF, on the
 * real local cluster: an edit changes only that value (the installer's comments, blank lines and order
 * stay), the docs' mistakes are found and fixed, stale edits are 409s, RBAC is the cluster's, and the
 * restart is a real rollout of Deployment ks-apiserver. The ConfigMap's text is put back afterwards.
 */
const configRef = { name: kubesphereConfig.name, namespace: kubesphereConfig.namespace };

/** The top-level keys of a kubesphere.yaml, in order. */
function topLevelKeys(text: string): string[] {
  return Object.keys(parseDocument(text).toJS() as Record<string, unknown>);
}

function comments(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('#'));
}

describe('kubesphere-config API on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let dir: string;
  let app: TestApp;
  let originalText: string;

  const read = () => core.readNamespacedConfigMap(configRef);
  const textOf = (configMap: V1ConfigMap) => configMap.data?.[kubesphereConfig.key] ?? '';
  /** Writes kubesphere.yaml as an admin with kubectl would. */
  const writeText = async (text: string) => {
    const current = await read();
    return core.replaceNamespacedConfigMap({
      ...configRef,
      body: { ...current, data: { ...current.data, [kubesphereConfig.key]: text } },
    });
  };
  const setAuditing = (user: TestUser, body: unknown, query = '') =>
    callAs(app, kubeConfig, user, `/api/kubesphere-config/auditing${query}`, { method: 'PUT', body });

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    core = kubeConfig.makeApiClient(CoreV1Api);
    apps = kubeConfig.makeApiClient(AppsV1Api);
    dir = mkdtempSync(join(tmpdir(), 'auditorium-ksconfig-'));
    app = createApp({ version: '0.0.0', consoleDir: dir, probes: {}, cluster: clusterAccess('local', kubeConfig) });
    originalText = textOf(await read());
    // The seed as KubeSphere's installer writes it; the test edits from there.
    expect(originalText).toMatch(/^ {2}enable: true$/m);
  });

  afterAll(async () => {
    if (originalText) await writeText(originalText);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the viewer reads the auditing section; the tenant gets the cluster 403', async () => {
    const view = await jsonOf<KubesphereConfigView>(
      await callAs(app, kubeConfig, 'viewer', '/api/kubesphere-config'),
      200,
    );
    expect(view.auditing.enable).toBe(true);
    expect(view.auditing.webhookURL).toMatch(/^https:\/\/.+\/audit\/webhook\/event$/);
    expect(view.problems).toEqual([]);
    expect(view.resourceVersion).toBe((await read()).metadata?.resourceVersion);

    const status = await jsonOf<Status>(await callAs(app, kubeConfig, 'tenant', '/api/kubesphere-config'), 403);
    expect(status.message).toContain('User "tenant" cannot get resource "configmaps"');
  });

  test('switching auditing off changes that one value: comments, blank lines and order stay', async () => {
    const loaded = await read();
    const response = await setAuditing('admin', { enable: false, resourceVersion: loaded.metadata?.resourceVersion });
    const written = await jsonOf<KubesphereConfigWritten>(response, 200);
    expect(written).toMatchObject({ auditing: { enable: false }, dryRun: false, restartRequired: true, problems: [] });

    const stored = textOf(await read());
    // Byte for byte the installer's file with the one value changed.
    expect(stored).toBe(originalText.replace(/^( {2}enable: )true$/m, '$1false'));
    expect(comments(stored)).toEqual(comments(originalText));
    expect(comments(stored).length).toBeGreaterThan(0);
    expect(topLevelKeys(stored)).toEqual(topLevelKeys(originalText));
    expect(written.resourceVersion).toBe((await read()).metadata?.resourceVersion);

    // Setting what is already there needs no restart.
    const again = await setAuditing('admin', { enable: false, resourceVersion: written.resourceVersion });
    expect((await jsonOf<KubesphereConfigWritten>(again, 200)).restartRequired).toBe(false);

    await writeText(originalText);
  });

  test('a stale edit is a 409 with the live section; dryRun=All stores nothing', async () => {
    const loaded = await read();
    // Someone else edits the file after the user loaded it.
    await writeText(originalText.replace('indexPrefix: ks-logstash-auditing', 'indexPrefix: ks-logstash-auditing-2'));
    const stale = await setAuditing('admin', { enable: false, resourceVersion: loaded.metadata?.resourceVersion });
    const conflict = await jsonOf<ConflictBody<KubesphereConfigView>>(stale, 409);
    expect(conflict.status).toMatchObject({ kind: 'Status', reason: 'Conflict' });
    const current = await read();
    expect(conflict.live.resourceVersion).toBe(current.metadata?.resourceVersion);
    expect(conflict.live.auditing.enable).toBe(true);
    expect(textOf(current)).toContain('ks-logstash-auditing-2');

    const dryRun = await setAuditing(
      'admin',
      { enable: false, resourceVersion: current.metadata?.resourceVersion },
      '?dryRun=All',
    );
    expect(await jsonOf<KubesphereConfigWritten>(dryRun, 200)).toMatchObject({
      dryRun: true,
      auditing: { enable: false },
    });
    const after = await read();
    expect(after.metadata?.resourceVersion).toBe(current.metadata?.resourceVersion);
    expect(textOf(after)).toBe(textOf(current));
    await writeText(originalText);
  });

  test('the viewer cannot edit (the cluster 403), and a malformed edit is a 422 on its field', async () => {
    const loaded = await read();
    const forbidden = await setAuditing('viewer', { enable: false, resourceVersion: loaded.metadata?.resourceVersion });
    const status = await jsonOf<Status>(forbidden, 403);
    expect(status.message).toContain('User "viewer" cannot update resource "configmaps"');
    expect(textOf(await read())).toBe(originalText);

    const invalid = await jsonOf<Status>(await setAuditing('admin', { enable: 'yes' }), 422);
    expect(invalid.details?.causes?.map((cause) => cause.field).sort()).toEqual(['enable', 'resourceVersion']);
  });

  test('the docs\' "enabled" spelling is found, offered as a fix, and fixed without losing comments', async () => {
    const misspelt = originalText.replace(/^( {2})enable: true$/m, '$1enabled: true');
    expect(misspelt).not.toBe(originalText);
    await writeText(misspelt);

    const view = await jsonOf<KubesphereConfigView>(
      await callAs(app, kubeConfig, 'admin', '/api/kubesphere-config'),
      200,
    );
    // ks-apiserver ignores the key, so auditing is off whatever it says.
    expect(view.auditing.enable).toBe(false);
    expect(view.problems).toEqual([expect.objectContaining({ code: 'enabled-instead-of-enable', fixable: true })]);

    const fixed = await setAuditing('admin', { enable: true, resourceVersion: view.resourceVersion });
    expect(await jsonOf<KubesphereConfigWritten>(fixed, 200)).toMatchObject({
      auditing: { enable: true },
      problems: [],
    });
    const stored = textOf(await read());
    expect(parseDocument(stored).toJS().auditing).toMatchObject({ enable: true });
    expect(stored).not.toMatch(/enabled:/);
    expect(comments(stored)).toEqual(comments(originalText));
    expect(topLevelKeys(stored)).toEqual(topLevelKeys(originalText));
    await writeText(originalText);
  });

  test('a "spec:" level is found and fixed: auditing moves to the top level, the rest stays', async () => {
    // The docs' shape: the ClusterConfiguration's spec.auditing pasted into kubesphere.yaml.
    const withSpec = `${originalText.replace(/^auditing:\n(( {2}.*\n|\n)*?)(?=\S)/m, '')}spec:\n  # pasted from the docs\n  auditing:\n    enable: true\n`;
    expect(parseDocument(withSpec).toJS()).not.toHaveProperty('auditing');
    await writeText(withSpec);

    const view = await jsonOf<KubesphereConfigView>(
      await callAs(app, kubeConfig, 'admin', '/api/kubesphere-config'),
      200,
    );
    expect(view.auditing.enable).toBe(false);
    expect(view.problems.map((problem) => [problem.code, problem.fixable])).toEqual([['spec-level', true]]);

    const fixed = await setAuditing('admin', { enable: true, resourceVersion: view.resourceVersion });
    expect(await jsonOf<KubesphereConfigWritten>(fixed, 200)).toMatchObject({
      auditing: { enable: true },
      problems: [],
      restartRequired: true,
    });
    const stored = textOf(await read());
    const parsed = parseDocument(stored).toJS() as Record<string, unknown>;
    expect(parsed).not.toHaveProperty('spec');
    expect(parsed.auditing).toEqual({ enable: true });
    // Every other section and its comments are as they were.
    const others = (text: string) => {
      const { auditing: _, spec: __, ...rest } = parseDocument(text).toJS() as Record<string, unknown>;
      return rest;
    };
    expect(others(stored)).toEqual(others(originalText));
    expect(stored).toContain('authenticateRateLimiterMaxTries: 10');
    await writeText(originalText);
  });

  test('a kubesphere.yaml that does not parse is reported, and an edit is refused until it is fixed by hand', async () => {
    const broken = `${originalText}\nauditing: [unclosed\n`;
    await writeText(broken);
    try {
      const view = await jsonOf<KubesphereConfigView>(
        await callAs(app, kubeConfig, 'admin', '/api/kubesphere-config'),
        200,
      );
      expect(view.problems).toEqual([expect.objectContaining({ code: 'yaml-error', fixable: false })]);
      const refused = await jsonOf<Status>(
        await setAuditing('admin', { enable: true, resourceVersion: view.resourceVersion }),
        422,
      );
      expect(refused.details?.causes).toEqual([
        expect.objectContaining({
          field: `data[${kubesphereConfig.key}]`,
          message: expect.stringContaining('by hand'),
        }),
      ]);
      expect(textOf(await read())).toBe(broken);
    } finally {
      await writeText(originalText);
    }
  });

  test('restarting ks-apiserver rolls its Deployment and the rollout is reported until done', async () => {
    const requestedMs = Date.now();
    const response = await callAs(app, kubeConfig, 'admin', '/api/kubesphere-config/restart-ks-apiserver', {
      method: 'POST',
    });
    const started = await jsonOf<RolloutState>(response, 202);
    expect(started.restartedAt).toBeDefined();
    // Whole seconds, as kubectl writes it.
    expect(Date.parse(started.restartedAt!)).toBeGreaterThanOrEqual(Math.floor(requestedMs / 1000) * 1000);
    const deployment = await apps.readNamespacedDeployment({ name: 'ks-apiserver', namespace: 'kubesphere-system' });
    expect(deployment.spec?.template.metadata?.annotations?.[restartedAtAnnotation]).toBe(started.restartedAt);
    expect(started.generation).toBe(deployment.metadata?.generation);

    // kube-controller-manager rolls a new ReplicaSet, kwok runs its pod: the report follows it to the end.
    const deadline = Date.now() + 60_000;
    let state: RolloutState = started;
    while (!state.done && Date.now() < deadline) {
      await sleep(500);
      state = await jsonOf<RolloutState>(
        await callAs(app, kubeConfig, 'viewer', '/api/kubesphere-config/rollout'),
        200,
      );
      expect(state.failed).toBe(false);
    }
    expect(state).toMatchObject({ done: true, restartedAt: started.restartedAt, oldReplicas: 0 });
    expect(state.observedGeneration).toBeGreaterThanOrEqual(started.generation);
    expect(state.message).toBe('Deployment "ks-apiserver" successfully rolled out.');

    const forbidden = await callAs(app, kubeConfig, 'viewer', '/api/kubesphere-config/restart-ks-apiserver', {
      method: 'POST',
    });
    expect((await jsonOf<Status>(forbidden, 403)).message).toContain(
      'User "viewer" cannot patch resource "deployments"',
    );
  }, 90_000);
});
