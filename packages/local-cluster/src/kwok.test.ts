import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { expect, test } from 'vitest';
import { kubeConfigAs, uniqueName } from './testing/test-cluster.ts';

test('a Deployment the tenant creates in demo rolls out, its pods Running on kwok nodes', async () => {
  const kc = kubeConfigAs('tenant');
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const name = uniqueName('web');
  await apps.createNamespacedDeployment({
    namespace: 'demo',
    body: {
      metadata: { name },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
    },
  });
  try {
    await expect
      .poll(async () => (await apps.readNamespacedDeployment({ name, namespace: 'demo' })).status?.readyReplicas, {
        timeout: 25_000,
        interval: 250,
      })
      .toBe(2);
    const pods = await core.listNamespacedPod({ namespace: 'demo', labelSelector: `app=${name}` });
    expect(pods.items.map((pod) => pod.status?.phase)).toEqual(['Running', 'Running']);
    expect(pods.items.every((pod) => pod.spec?.nodeName?.startsWith('kwok-node-'))).toBe(true);
  } finally {
    await apps.deleteNamespacedDeployment({ name, namespace: 'demo' }).catch(() => {});
  }
});

test('both fake nodes are Ready', async () => {
  const core = kubeConfigAs('admin').makeApiClient(CoreV1Api);
  const nodes = await core.listNode({ labelSelector: 'type=kwok' });
  expect(
    nodes.items.map((node) => [node.metadata?.name, node.status?.conditions?.find((c) => c.type === 'Ready')?.status]),
  ).toEqual([
    ['kwok-node-0', 'True'],
    ['kwok-node-1', 'True'],
  ]);
});
