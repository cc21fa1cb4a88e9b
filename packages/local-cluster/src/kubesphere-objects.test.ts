// client-node against the seeded KubeSphere kinds, as the BFF will use it: list, watch, replace, merge patch,
// server-side apply, optimistic concurrency (409) and schema validation (422 with causes). Each test works on a
// Webhook or ConfigMap of its own, so the seeded kube-auditing-webhook is never touched.
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { createTestNamespace, kubeConfigAs, uniqueName } from './testing/test-cluster.ts';

const webhooks = { group: 'auditing.kubesphere.io', version: 'v1alpha1', plural: 'webhooks' } as const;

interface Webhook {
  apiVersion: string;
  kind: string;
  metadata: { name: string; resourceVersion?: string };
  spec: Record<string, unknown>;
}

function webhook(name: string, spec: Record<string, unknown> = {}): Webhook {
  return {
    apiVersion: 'auditing.kubesphere.io/v1alpha1',
    kind: 'Webhook',
    metadata: { name },
    spec: { auditLevel: 'Metadata', replicas: 2, ...spec },
  };
}

async function withWebhook(kc: KubeConfig, run: (name: string, api: CustomObjectsApi) => Promise<void>): Promise<void> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const name = uniqueName('test-webhook');
  await api.createClusterCustomObject({ ...webhooks, body: webhook(name) });
  try {
    await run(name, api);
  } finally {
    await api.deleteClusterCustomObject({ ...webhooks, name }).catch(() => {});
  }
}

function statusOf(error: unknown): { code: number; status: Record<string, unknown> } {
  if (!(error instanceof ApiException)) throw error;
  const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
  return { code: error.code, status: body as Record<string, unknown> };
}

describe('client-node on the Webhook kind', () => {
  test('lists Webhooks, including the seeded kube-auditing-webhook', async () => {
    const api = kubeConfigAs('admin').makeApiClient(CustomObjectsApi);
    const list = (await api.listClusterCustomObject(webhooks)) as { items: Webhook[] };
    expect(list.items.map((item) => item.metadata.name)).toContain('kube-auditing-webhook');
  });

  test('watch reports the ADDED and MODIFIED events of a Webhook', async () => {
    const kc = kubeConfigAs('admin');
    const api = kc.makeApiClient(CustomObjectsApi);
    const name = uniqueName('watched-webhook');
    const seen: string[] = [];
    const watch = await new Watch(kc).watch(
      '/apis/auditing.kubesphere.io/v1alpha1/webhooks',
      { fieldSelector: `metadata.name=${name}` },
      (type: string, object: Webhook) => seen.push(`${type}:${String(object.spec.auditLevel)}`),
      () => {},
    );
    try {
      await api.createClusterCustomObject({ ...webhooks, body: webhook(name) });
      await api.patchClusterCustomObject(
        { ...webhooks, name, body: { spec: { auditLevel: 'Request' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['ADDED:Metadata', 'MODIFIED:Request']);
    } finally {
      watch.abort();
      await api.deleteClusterCustomObject({ ...webhooks, name }).catch(() => {});
    }
  });

  test('replace with the current resourceVersion succeeds, and with a stale one answers 409 Conflict', async () => {
    await withWebhook(kubeConfigAs('admin'), async (name, api) => {
      const current = (await api.getClusterCustomObject({ ...webhooks, name })) as Webhook;
      const replaced = (await api.replaceClusterCustomObject({
        ...webhooks,
        name,
        body: { ...current, spec: { ...current.spec, auditLevel: 'RequestResponse' } },
      })) as Webhook;
      expect(replaced.spec.auditLevel).toBe('RequestResponse');
      const stale = await api
        .replaceClusterCustomObject({ ...webhooks, name, body: { ...current, spec: { ...current.spec, replicas: 3 } } })
        .then(
          () => null,
          (error: unknown) => statusOf(error),
        );
      expect(stale).toMatchObject({ code: 409, status: { kind: 'Status', reason: 'Conflict' } });
    });
  });

  test('merge patch changes only the fields it names', async () => {
    await withWebhook(kubeConfigAs('admin'), async (name, api) => {
      const patched = (await api.patchClusterCustomObject(
        { ...webhooks, name, body: { spec: { k8sAuditingEnabled: true } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as Webhook;
      expect(patched.spec).toMatchObject({ k8sAuditingEnabled: true, auditLevel: 'Metadata', replicas: 2 });
    });
  });

  test('server-side apply creates and then updates a Webhook under its field manager', async () => {
    const api = kubeConfigAs('admin').makeApiClient(CustomObjectsApi);
    const name = uniqueName('applied-webhook');
    const apply = (spec: Record<string, unknown>) =>
      api.patchClusterCustomObject(
        { ...webhooks, name, body: webhook(name, spec), fieldManager: 'auditorium-test', force: true },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ) as Promise<Webhook & { metadata: { managedFields?: { manager: string; operation: string }[] } }>;
    try {
      await apply({ auditLevel: 'Metadata' });
      const updated = await apply({ auditLevel: 'None' });
      expect(updated.spec.auditLevel).toBe('None');
      expect(updated.metadata.managedFields).toContainEqual(
        expect.objectContaining({ manager: 'auditorium-test', operation: 'Apply' }),
      );
    } finally {
      await api.deleteClusterCustomObject({ ...webhooks, name }).catch(() => {});
    }
  });

  test('a schema-invalid Webhook is refused with 422 Invalid and a cause naming the field', async () => {
    const api = kubeConfigAs('admin').makeApiClient(CustomObjectsApi);
    const name = uniqueName('invalid-webhook');
    const result = await api.createClusterCustomObject({ ...webhooks, body: webhook(name, { replicas: 'two' }) }).then(
      () => null,
      (error: unknown) => statusOf(error),
    );
    expect(result).toMatchObject({
      code: 422,
      status: {
        reason: 'Invalid',
        details: {
          kind: 'Webhook',
          causes: [expect.objectContaining({ field: 'spec.replicas', reason: 'FieldValueTypeInvalid' })],
        },
      },
    });
  });
});

describe('client-node on ConfigMaps', () => {
  test('lists, replaces, merge-patches and server-side-applies a ConfigMap; a stale replace gets 409', async () => {
    const namespace = await createTestNamespace('configmap');
    const core = kubeConfigAs('admin').makeApiClient(CoreV1Api);
    try {
      const name = 'kubesphere-config';
      const created = await core.createNamespacedConfigMap({
        namespace: namespace.name,
        body: { metadata: { name }, data: { 'kubesphere.yaml': 'auditing:\n  enable: true\n' } },
      });
      const list = await core.listNamespacedConfigMap({ namespace: namespace.name });
      expect(list.items.map((item) => item.metadata?.name)).toContain(name);

      const replaced = await core.replaceNamespacedConfigMap({
        name,
        namespace: namespace.name,
        body: { ...created, data: { 'kubesphere.yaml': 'auditing:\n  enable: false\n' } },
      });
      expect(replaced.data?.['kubesphere.yaml']).toContain('enable: false');
      const stale = await core.replaceNamespacedConfigMap({ name, namespace: namespace.name, body: created }).then(
        () => null,
        (error: unknown) => statusOf(error),
      );
      expect(stale).toMatchObject({ code: 409, status: { reason: 'Conflict' } });

      const patched = await core.patchNamespacedConfigMap(
        { name, namespace: namespace.name, body: { data: { extra: 'yes' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(Object.keys(patched.data ?? {}).sort()).toEqual(['extra', 'kubesphere.yaml']);

      const applied = await core.patchNamespacedConfigMap(
        {
          name,
          namespace: namespace.name,
          fieldManager: 'auditorium-test',
          force: true,
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { applied: 'true' } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      expect(applied.data?.applied).toBe('true');
    } finally {
      await namespace.remove();
    }
  });
});
