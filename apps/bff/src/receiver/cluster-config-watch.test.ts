import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditingGroup, auditingVersion, rulePlural, webhookName, webhookPlural } from '@auditorium/audit-model';
import { CoreV1Api, CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clusterConfigSource } from './cluster-config-watch.ts';
import type { ConfigSource } from './config-source.ts';
import { kubernetesBatchOf, kubesphereBatchBody, kubesphereEvent } from './testing/audit-batches.ts';
import { testCluster, testKubeConfig, uniqueName } from './testing/local-cluster.ts';
import { startTestReceiver, type TestReceiver } from './testing/test-receiver.ts';

/**
 * The receiver against a real apiserver (the local cluster of packages/local-cluster's globalSetup, or the
 * KUBECONFIG cluster): configuration from watched Webhook and Rule CRs, workspaces from watched namespaces,
 * the bearer token from a watched Secret. Edits must reach the next batch within a second.
 */
const withinOneSecond = 1000;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Posts a fresh batch until `done` says the receiver shows the change; returns how long that took. */
async function untilEffect(edit: () => Promise<unknown>, probe: () => Promise<boolean>): Promise<number> {
  await edit();
  const editedAt = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - editedAt;
    if (performance.now() - editedAt > 10_000) throw new Error('the edit had no effect within 10 s');
    await sleep(20);
  }
}

describe('receiver on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  let namespace: string;
  let config: ConfigSource;
  let server: TestReceiver;
  const workspace = uniqueName('workspace');

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    core = kubeConfig.makeApiClient(CoreV1Api);
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
    namespace = uniqueName('receiver-test');
    await core.createNamespace({
      body: {
        metadata: { name: namespace, labels: { 'auditorium.test': 'true', 'kubesphere.io/workspace': workspace } },
      },
    });
    config = clusterConfigSource(kubeConfig);
    server = await startTestReceiver({ configSource: config, kubeConfig });
    await config.whenReady();
  });

  afterAll(async () => {
    await server?.close();
    await core?.deleteNamespace({ name: namespace }).catch(() => {});
  });

  /** A ks-apiserver event in the test namespace (ks-apiserver events are taken whatever k8sAuditingEnabled says). */
  const kubesphereGet = (resource: string) => kubesphereEvent({ verb: 'get', resource, namespace });
  const archives = async (event: Record<string, unknown>) => {
    const answer = await server.post(kubesphereBatchBody([{ ...event, Workspace: '' }]));
    expect(answer.status, answer.text).toBe(200);
    return (await server.storedIds([event.AuditID as string])).size === 1;
  };

  test('loads the Webhook and every Rule CR of the cluster', () => {
    const status = server.receiver.ruleStatus();
    expect(status?.webhook.found).toBe(true);
    expect(status?.ruleResources.map((resource) => resource.name)).toEqual(
      expect.arrayContaining(['archiving-rule', 'alerting-rule']),
    );
    expect(status?.items.find((item) => item.item === 'AttachOrExecPod')?.state).toBe('active');
    expect(server.receiver.health().state).toBe('ok');
  });

  test('a created, edited and deleted Rule CR applies to the next batch within a second', async () => {
    const resource = uniqueName('widgets');
    const ruleName = uniqueName('receiver-test-rule');
    const rule = (enable: boolean) => ({
      apiVersion: `${auditingGroup}/${auditingVersion}`,
      kind: 'Rule',
      metadata: { name: ruleName, namespace, labels: { type: 'archiving' } },
      spec: {
        rules: [
          {
            name: 'widget-reads',
            type: 'rule',
            condition: `Verb = "get" and ObjectRef.Resource = "${resource}"`,
            enable,
            priority: 'INFO',
          },
        ],
      },
    });
    const target = { group: auditingGroup, version: auditingVersion, namespace, plural: rulePlural };

    // Before: the shipped rules ignore reads.
    expect(await archives(kubesphereGet(resource))).toBe(false);

    const created = await untilEffect(
      () => custom.createNamespacedCustomObject({ ...target, body: rule(true) }),
      () => archives(kubesphereGet(resource)),
    );
    expect(created).toBeLessThan(withinOneSecond);

    const disabled = await untilEffect(
      () =>
        custom.patchNamespacedCustomObject({ ...target, name: ruleName, body: { spec: rule(false).spec } }, mergePatch),
      async () => !(await archives(kubesphereGet(resource))),
    );
    expect(disabled).toBeLessThan(withinOneSecond);

    const deleted = await untilEffect(
      () => custom.deleteNamespacedCustomObject({ ...target, name: ruleName }),
      async () => !server.receiver.ruleStatus()?.ruleResources.some((entry) => entry.name === ruleName),
    );
    expect(deleted).toBeLessThan(withinOneSecond);
  });

  test('a broken Rule CR is reported item by item while the other rules keep working', async () => {
    const ruleName = uniqueName('receiver-test-broken');
    const target = { group: auditingGroup, version: auditingVersion, namespace, plural: rulePlural };
    await custom.createNamespacedCustomObject({
      ...target,
      body: {
        apiVersion: `${auditingGroup}/${auditingVersion}`,
        kind: 'Rule',
        metadata: { name: ruleName, namespace, labels: { type: 'alerting' } },
        spec: {
          rules: [
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a KubeSphere rule reference, not a template
            { name: 'typo', type: 'rule', condition: 'Verb in ${no-such-list}', enable: true, priority: 'WARNING' },
          ],
        },
      },
    });
    try {
      await expect
        .poll(() => server.receiver.ruleStatus()?.items.find((item) => item.ruleCR === ruleName), { timeout: 5000 })
        .toMatchObject({ item: 'typo', state: 'error', namespace });
      expect(await server.receiver.metrics.registry.metrics()).toMatch(/auditorium_rule_load_errors [1-9]/);
      expect(await archives(kubesphereEvent({ verb: 'delete', namespace }))).toBe(true);
    } finally {
      await custom.deleteNamespacedCustomObject({ ...target, name: ruleName });
    }
  });

  test('fills the workspace from the watched namespace label and follows a relabel within a second', async () => {
    const event = kubesphereEvent({ verb: 'delete', namespace });
    expect(await archives(event)).toBe(true);
    expect((await server.storedRecords([event.AuditID as string])).get(event.AuditID as string)?.event.Workspace).toBe(
      workspace,
    );

    const moved = uniqueName('workspace');
    const relabelled = await untilEffect(
      () =>
        core.patchNamespace(
          { name: namespace, body: { metadata: { labels: { 'kubesphere.io/workspace': moved } } } },
          mergePatch,
        ),
      async () => {
        const next = kubesphereEvent({ verb: 'delete', namespace });
        await archives(next);
        return (
          (await server.storedRecords([next.AuditID as string])).get(next.AuditID as string)?.event.Workspace === moved
        );
      },
    );
    expect(relabelled).toBeLessThan(withinOneSecond);
  });

  test('a Webhook edit (k8sAuditingEnabled) applies to the next batch within a second', async () => {
    const target = { group: auditingGroup, version: auditingVersion, plural: webhookPlural, name: webhookName };
    const original = (await custom.getClusterCustomObject(target)) as { spec?: { k8sAuditingEnabled?: boolean } };
    const before = original.spec?.k8sAuditingEnabled ?? false;
    const kubernetesArchived = async () => {
      const { ids, body } = kubernetesBatchOf(1, { verb: 'update', namespace });
      expect((await server.post(body)).status).toBe(200);
      return (await server.storedIds(ids)).size === 1;
    };
    const setEnabled = (enabled: boolean) =>
      custom.patchClusterCustomObject({ ...target, body: { spec: { k8sAuditingEnabled: enabled } } }, mergePatch);
    try {
      const flipped = await untilEffect(
        () => setEnabled(!before),
        async () => (await kubernetesArchived()) === !before,
      );
      expect(flipped).toBeLessThan(withinOneSecond);
      const back = await untilEffect(
        () => setEnabled(before),
        async () => (await kubernetesArchived()) === before,
      );
      expect(back).toBeLessThan(withinOneSecond);
    } finally {
      await setEnabled(before);
    }
  });

  test('takes the bearer token from a Secret and follows its rotation', async () => {
    const secretName = uniqueName('receiver-token');
    const encode = (text: string) => Buffer.from(text).toString('base64');
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: secretName }, data: { token: encode('first-token') } },
    });
    const guarded = await startTestReceiver({ kubeConfig, tokenSecret: `${namespace}/${secretName}` });
    try {
      const post = (token?: string) =>
        guarded.post(
          kubesphereBatchBody([kubesphereEvent()]),
          token ? { headers: { authorization: `Bearer ${token}` } } : {},
        );
      await expect.poll(async () => (await post('first-token')).status, { timeout: 5000 }).toBe(200);
      expect((await post()).status).toBe(401);
      expect((await post('second-token')).status).toBe(403);

      const rotated = await untilEffect(
        () =>
          core.patchNamespacedSecret(
            { name: secretName, namespace, body: { data: { token: encode('second-token') } } },
            mergePatch,
          ),
        async () => (await post('second-token')).status === 200,
      );
      expect(rotated).toBeLessThan(withinOneSecond);
      expect((await post('first-token')).status).toBe(403);
    } finally {
      await guarded.close();
    }
  });
  test('after stopWatching it goes on receiving with what it had loaded, and no longer follows the cluster', async () => {
    // Its own receiver: the one above must keep watching for the other tests.
    const ownConfig = clusterConfigSource(kubeConfig);
    const stopping = await startTestReceiver({ configSource: ownConfig, kubeConfig });
    const ruleName = uniqueName('receiver-test-unseen');
    const target = { group: auditingGroup, version: auditingVersion, namespace, plural: rulePlural };
    try {
      await ownConfig.whenReady();
      await stopping.receiver.stopWatching();
      await custom.createNamespacedCustomObject({
        ...target,
        body: {
          apiVersion: `${auditingGroup}/${auditingVersion}`,
          kind: 'Rule',
          metadata: { name: ruleName, namespace, labels: { type: 'archiving' } },
          spec: { rules: [{ name: 'all', type: 'rule', condition: 'Verb = "get"', enable: true, priority: 'INFO' }] },
        },
      });
      // The watching receiver sees a new Rule within a second (above); this one must not, even after that.
      await expect
        .poll(() => server.receiver.ruleStatus()?.ruleResources.some((entry) => entry.name === ruleName))
        .toBe(true);
      await sleep(withinOneSecond);
      expect(stopping.receiver.ruleStatus()?.ruleResources.some((entry) => entry.name === ruleName)).toBe(false);

      // And it still takes batches, archiving by the rules it had (the shipped rules archive deletes).
      const event = kubesphereEvent({ verb: 'delete', namespace });
      const answer = await stopping.post(kubesphereBatchBody([{ ...event, Workspace: '' }]));
      expect(answer.status, answer.text).toBe(200);
      expect((await stopping.storedIds([event.AuditID as string])).size).toBe(1);
    } finally {
      await stopping.close();
      await custom.deleteNamespacedCustomObject({ ...target, name: ruleName }).catch(() => {});
    }
  });
});

describe('receiver fed by the real kube-apiserver', () => {
  const cluster = testCluster();
  test.skipIf(!cluster.receiverTls)(
    "archives the audit events of the cluster's own API requests, with the namespace's workspace",
    async () => {
      const tls = cluster.receiverTls!;
      const kubeConfig = testKubeConfig();
      const core = kubeConfig.makeApiClient(CoreV1Api);
      const custom = kubeConfig.makeApiClient(CustomObjectsApi);
      const namespace = uniqueName('receiver-e2e');
      const workspace = uniqueName('workspace');
      const webhook = { group: auditingGroup, version: auditingVersion, plural: webhookPlural, name: webhookName };
      const original = (await custom.getClusterCustomObject(webhook)) as { spec?: { k8sAuditingEnabled?: boolean } };
      let server: TestReceiver | undefined;
      try {
        // Where kube-apiserver's --audit-webhook-config-file points, with the certificate it trusts.
        server = await startTestReceiver({
          kubeConfig,
          configSource: clusterConfigSource(kubeConfig),
          port: cluster.receiverPort,
          tls: { certFile: tls.certFile, keyFile: tls.keyFile },
        }).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'EADDRINUSE') {
            throw new Error(
              `port ${cluster.receiverPort}, where the test cluster audits to, is taken by another process`,
            );
          }
          throw error;
        });
        expect(server.receiver.caCertificate).toBeUndefined();
        expect(readFileSync(tls.caFile, 'utf8')).toContain('CERTIFICATE');
        await custom.patchClusterCustomObject({ ...webhook, body: { spec: { k8sAuditingEnabled: true } } }, mergePatch);
        await core.createNamespace({
          body: {
            metadata: { name: namespace, labels: { 'auditorium.test': 'true', 'kubesphere.io/workspace': workspace } },
          },
        });
        // The namespace watch must have seen the label before the ConfigMap's event arrives.
        await sleep(200);
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'audited' }, data: { a: 'b' } } });

        const found = async () => {
          for await (const page of server!.store.iterate({ namespaces: [namespace] }, { kind: 'all' })) {
            const record = page.find(
              (entry) =>
                entry.event.Verb === 'create' &&
                entry.event.ObjectRef?.Resource === 'configmaps' &&
                entry.event.ObjectRef.Name === 'audited',
            );
            if (record) return record;
          }
          return undefined;
        };
        // kube-apiserver batches for up to --audit-webhook-batch-max-wait (1 s on the local cluster).
        await expect.poll(found, { timeout: 15_000, interval: 200 }).toBeDefined();
        const record = await found();
        expect(record?.event).toMatchObject({
          Source: 'kubernetes',
          Workspace: workspace,
          ObjectRef: { Namespace: namespace, Name: 'audited' },
          ResponseStatus: { code: 201 },
        });
        expect(record?.matchedRules).toEqual(expect.arrayContaining(['archiving', 'ResourceChange']));
      } finally {
        await custom
          .patchClusterCustomObject(
            { ...webhook, body: { spec: { k8sAuditingEnabled: original.spec?.k8sAuditingEnabled ?? false } } },
            mergePatch,
          )
          .catch(() => {});
        await core.deleteNamespace({ name: namespace }).catch(() => {});
        await server?.close();
      }
    },
    30_000,
  );
});
