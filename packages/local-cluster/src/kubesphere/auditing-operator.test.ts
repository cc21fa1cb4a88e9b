// The auditing operator on the real local cluster: a Webhook CR becomes a Deployment whose pods kwok runs, and a
// change of `replicas` or `image` in the CR reaches the Running pods. One test runs an operator of its own for a
// Webhook of its own (so it can change replicas freely); one checks what the cluster's own operator made of the
// seeded kube-auditing-webhook.
import { join } from 'node:path';
import { auditingGroup, auditingNamespace, auditingVersion, webhookName, webhookPlural } from '@auditorium/audit-model';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, describe, expect, test } from 'vitest';
import { readStateFile } from '../index.ts';
import { clusterInfo, createTestNamespace, kubeConfigAs, kubectl, uniqueName } from '../testing/test-cluster.ts';
import { AuditingOperator } from './auditing-operator.ts';

const admin = kubeConfigAs('admin');
const core = admin.makeApiClient(CoreV1Api);
const apps = admin.makeApiClient(AppsV1Api);
const customObjects = admin.makeApiClient(CustomObjectsApi);
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function runningPods(namespace: string, app: string) {
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  return pods.items.filter((pod) => pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp);
}

const patchWebhook = (name: string, spec: Record<string, unknown>) =>
  customObjects.patchClusterCustomObject(
    { group: auditingGroup, version: auditingVersion, plural: webhookPlural, name, body: { spec } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );

describe('the auditing operator', { timeout: 120_000 }, () => {
  test('turns a Webhook into its Deployment and Service; a replicas change reaches Running pods', async () => {
    const namespace = await createTestNamespace('h2-operator');
    cleanups.push(namespace.remove);
    const name = uniqueName('h2-webhook');
    await customObjects.createClusterCustomObject({
      group: auditingGroup,
      version: auditingVersion,
      plural: webhookPlural,
      body: {
        apiVersion: `${auditingGroup}/${auditingVersion}`,
        kind: 'Webhook',
        metadata: { name, labels: { team: 'auditing' } },
        spec: { replicas: 1, image: 'kubesphere/kube-auditing-webhook:v0.2.0', useHTTPS: true, args: ['--v=2'] },
      },
    });
    cleanups.push(() =>
      customObjects.deleteClusterCustomObject({
        group: auditingGroup,
        version: auditingVersion,
        plural: webhookPlural,
        name,
      }),
    );
    // The pods run as the namespace's default ServiceAccount; kube-auditing-operator exists only in
    // kubesphere-logging-system, and admission refuses pods naming a missing one.
    const operator = new AuditingOperator({
      kubeConfig: admin,
      webhookName: name,
      namespace: namespace.name,
      serviceAccountName: 'default',
    });
    await operator.start();
    cleanups.push(() => operator.stop());

    const deployment = await apps.readNamespacedDeployment({ name: `${name}-deploy`, namespace: namespace.name });
    expect(deployment.metadata?.labels).toMatchObject({ team: 'auditing', app: name });
    expect(deployment.metadata?.ownerReferences).toMatchObject([{ kind: 'Webhook', name, controller: true }]);
    expect(deployment.spec?.template.spec?.containers).toMatchObject([
      { name, image: 'kubesphere/kube-auditing-webhook:v0.2.0', args: ['--v=2', '--port=6443', '--tls=true'] },
    ]);
    const service = await core.readNamespacedService({ name: `${name}-svc`, namespace: namespace.name });
    expect(service.spec?.ports).toMatchObject([{ port: 6443, targetPort: 6443, protocol: 'TCP' }]);
    expect(service.spec?.selector).toEqual({ app: name });
    await expect.poll(async () => (await runningPods(namespace.name, name)).length, { timeout: 60_000 }).toBe(1);

    await patchWebhook(name, { replicas: 3 });
    await expect.poll(async () => (await runningPods(namespace.name, name)).length, { timeout: 60_000 }).toBe(3);

    await patchWebhook(name, { replicas: 2, image: 'kubesphere/kube-auditing-webhook:v0.2.1' });
    await expect
      .poll(async () => (await runningPods(namespace.name, name)).map((pod) => pod.spec?.containers[0]?.image).sort(), {
        timeout: 60_000,
      })
      .toEqual(['kubesphere/kube-auditing-webhook:v0.2.1', 'kubesphere/kube-auditing-webhook:v0.2.1']);

    // A Deployment deleted by hand comes back, as a controller's owned watch brings it back.
    await apps.deleteNamespacedDeployment({ name: `${name}-deploy`, namespace: namespace.name });
    await expect
      .poll(
        async () =>
          (await apps.readNamespacedDeployment({ name: `${name}-deploy`, namespace: namespace.name }).catch(() => null))
            ?.spec?.replicas,
        { timeout: 30_000 },
      )
      .toBe(2);
  });

  test("the cluster's own operator runs kube-auditing-webhook-deploy with the seeded Webhook's replicas", async () => {
    const info = clusterInfo();
    const states = () => readStateFile(String(info.dataDir))?.components ?? [];
    await expect
      .poll(() => states().find((state) => state.name === 'kube-auditing-operator')?.phase, { timeout: 30_000 })
      .toBe('ready');
    const webhook = (await customObjects.getClusterCustomObject({
      group: auditingGroup,
      version: auditingVersion,
      plural: webhookPlural,
      name: webhookName,
    })) as { spec?: { replicas?: number } };
    const replicas = webhook.spec?.replicas ?? 1;
    const deployment = await apps.readNamespacedDeployment({
      name: 'kube-auditing-webhook-deploy',
      namespace: auditingNamespace,
    });
    expect(deployment.spec?.replicas).toBe(replicas);
    expect(deployment.spec?.template.spec?.serviceAccountName).toBe('kube-auditing-operator');
    await expect
      .poll(async () => (await runningPods(auditingNamespace, webhookName)).length, { timeout: 60_000 })
      .toBe(replicas);
  });

  test("the cluster's ks-apiserver stand-in is reported ready and serves kubectl through its kubeconfig", async () => {
    const info = clusterInfo();
    await expect
      .poll(() => readStateFile(String(info.dataDir))?.components.find((state) => state.name === 'ks-apiserver'), {
        timeout: 30_000,
      })
      .toMatchObject({ phase: 'ready', pid: expect.any(Number) });
    const kubeconfig = join(String(info.dataDir), 'cluster', 'ks-apiserver.kubeconfig');
    const result = await kubectl(['--kubeconfig', kubeconfig, 'get', 'namespace', 'demo', '-o', 'name'], {
      context: 'viewer',
    });
    expect(result).toMatchObject({ status: 0, stdout: 'namespace/demo\n' });
  });
});
