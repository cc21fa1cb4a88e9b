import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { clusterInfo, kubeConfigAs } from './testing/test-cluster.ts';

const group = 'auditing.kubesphere.io';
const version = 'v1alpha1';

describe('the seed of the local cluster', () => {
  test.each([
    { name: 'webhooks', scope: 'Cluster', kind: 'Webhook', shortName: 'awh' },
    { name: 'rules', scope: 'Namespaced', kind: 'Rule', shortName: 'ar' },
  ])('serves the KubeSphere 3.4 $kind CRD, established and $scope-scoped', async ({ name, scope, kind, shortName }) => {
    const api = kubeConfigAs('admin').makeApiClient(ApiextensionsV1Api);
    const crd: V1CustomResourceDefinition = await api.readCustomResourceDefinition({ name: `${name}.${group}` });
    expect(crd.spec.scope).toBe(scope);
    expect(crd.spec.names.kind).toBe(kind);
    expect(crd.spec.names.shortNames).toEqual([shortName]);
    expect(crd.spec.versions.map((v) => v.name)).toEqual([version]);
    expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
  });

  test('holds the kube-auditing-webhook Webhook as KubeSphere 3.4.1 installs it', async () => {
    const api = kubeConfigAs('admin').makeApiClient(CustomObjectsApi);
    const webhook = (await api.getClusterCustomObject({
      group,
      version,
      plural: 'webhooks',
      name: 'kube-auditing-webhook',
    })) as { spec: Record<string, unknown> };
    expect(webhook.spec).toMatchObject({
      auditLevel: 'Metadata',
      archivingPriority: 'DEBUG',
      alertingPriority: 'WARNING',
      k8sAuditingEnabled: false,
      useHTTPS: true,
      receivers: [
        {
          name: 'alert',
          type: 'alertmanager',
          config: { service: { namespace: 'kubesphere-monitoring-system', name: 'alertmanager-main', port: 9093 } },
        },
      ],
    });
  });

  test.each([
    { rule: 'archiving-rule', type: 'archiving', items: ['ignore-action', 'archiving'] },
    {
      rule: 'alerting-rule',
      type: 'alerting',
      items: [
        'action',
        'pod',
        'service',
        'user',
        'name',
        'namespace',
        'create',
        'ResourceChange',
        'CreateHostnetworkPod',
        'CreateHostportPod',
        'CreateNodeportService',
        'AttachOrExecPod',
      ],
    },
  ])(
    'holds the default Rule $rule labelled type: $type in kubesphere-logging-system',
    async ({ rule, type, items }) => {
      const api = kubeConfigAs('admin').makeApiClient(CustomObjectsApi);
      const object = (await api.getNamespacedCustomObject({
        group,
        version,
        plural: 'rules',
        namespace: 'kubesphere-logging-system',
        name: rule,
      })) as { metadata: { labels: Record<string, string> }; spec: { rules: { name: string }[] } };
      expect(object.metadata.labels).toEqual({ type, workspace: 'system-workspace' });
      expect(object.spec.rules.map((item) => item.name)).toEqual(items);
    },
  );

  test('holds kubesphere-config whose auditing section points at the local receiver', async () => {
    const core = kubeConfigAs('admin').makeApiClient(CoreV1Api);
    const configMap = await core.readNamespacedConfigMap({ name: 'kubesphere-config', namespace: 'kubesphere-system' });
    const config = parse(configMap.data?.['kubesphere.yaml'] ?? '') as Record<string, Record<string, unknown>>;
    expect(Object.keys(config)).toEqual(
      expect.arrayContaining(['authentication', 'monitoring', 'auditing', 'gateway']),
    );
    expect(config.auditing).toMatchObject({
      enable: true,
      webhookURL: `https://127.0.0.1:${clusterInfo().receiverPort}/audit/webhook/event`,
    });
  });

  test('holds the receiver TLS Secret with the keys the kube-auditing operator uses', async () => {
    const core = kubeConfigAs('admin').makeApiClient(CoreV1Api);
    const secret = await core.readNamespacedSecret({
      name: 'kube-auditing-webhook-secret',
      namespace: 'kubesphere-logging-system',
    });
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['caBundle', 'tls.crt', 'tls.key']);
    expect(Buffer.from(secret.data?.caBundle ?? '', 'base64').toString()).toContain('BEGIN CERTIFICATE');
  });

  test.each([
    { namespace: 'kubesphere-logging-system', name: 'kube-auditing-webhook-svc', port: 6443 },
    { namespace: 'kubesphere-monitoring-system', name: 'alertmanager-main', port: 9093 },
  ])('has Service $namespace/$name on port $port', async ({ namespace, name, port }) => {
    const core = kubeConfigAs('admin').makeApiClient(CoreV1Api);
    const service = await core.readNamespacedService({ name, namespace });
    expect(service.spec?.ports?.map((p) => p.port)).toEqual([port]);
  });

  test('labels namespace demo with its workspace', async () => {
    const core = kubeConfigAs('admin').makeApiClient(CoreV1Api);
    const demo = await core.readNamespace({ name: 'demo' });
    expect(demo.metadata?.labels?.['kubesphere.io/workspace']).toBe('demo-workspace');
  });

  test('runs the ks-apiserver Deployment with its pod ready on a kwok node', async () => {
    const kc = kubeConfigAs('admin');
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    await expect
      .poll(
        async () =>
          (await apps.readNamespacedDeployment({ name: 'ks-apiserver', namespace: 'kubesphere-system' })).status
            ?.readyReplicas,
        { timeout: 20_000, interval: 250 },
      )
      .toBe(1);
    const pods = await core.listNamespacedPod({ namespace: 'kubesphere-system', labelSelector: 'app=ks-apiserver' });
    expect(pods.items.map((pod) => pod.spec?.nodeName)).toEqual([expect.stringMatching(/^kwok-node-/)]);
  });
});
