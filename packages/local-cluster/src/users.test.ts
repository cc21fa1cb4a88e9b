import { ApiException, CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { kubeConfigAs, kubectl } from './testing/test-cluster.ts';
import { tokenAuthCsv } from './users.ts';

describe('tokenAuthCsv', () => {
  test('writes one row per identity, quoting groups as kube-apiserver expects', () => {
    const tokens = {
      admin: 'a',
      tenant: 't',
      viewer: 'v',
      bootstrap: 'b',
      'kube-controller-manager': 'c',
      'kube-scheduler': 's',
      kwok: 'k',
    };
    const rows = tokenAuthCsv(tokens).trim().split('\n');
    expect(rows).toContain('a,admin,admin');
    expect(rows).toContain('b,local-cluster-bootstrap,local-cluster-bootstrap,"system:masters"');
    expect(rows).toHaveLength(7);
  });
});

describe('rights of the kubeconfig users, from the seeded RBAC', () => {
  test.each([
    { user: 'admin', args: ['create', 'clusterrolebindings'], allowed: true },
    { user: 'admin', args: ['get', 'secrets', '-A'], allowed: true },
    { user: 'tenant', args: ['create', 'deployments', '-n', 'demo'], allowed: true },
    { user: 'tenant', args: ['list', 'events', '-n', 'demo'], allowed: true },
    { user: 'tenant', args: ['list', 'pods', '-n', 'default'], allowed: false },
    { user: 'tenant', args: ['list', 'events', '-n', 'kubesphere-system'], allowed: false },
    // Cluster-scoped: asked without a namespace, as the real request is made (-A), not in the context's `demo`.
    { user: 'tenant', args: ['get', 'webhooks.auditing.kubesphere.io', '-A'], allowed: false },
    { user: 'viewer', args: ['list', 'pods', '-A'], allowed: true },
    { user: 'viewer', args: ['list', 'webhooks.auditing.kubesphere.io'], allowed: true },
    {
      user: 'viewer',
      args: ['list', 'rules.auditing.kubesphere.io', '-n', 'kubesphere-logging-system'],
      allowed: true,
    },
    { user: 'viewer', args: ['get', 'secrets', '-n', 'kubesphere-logging-system'], allowed: false },
    { user: 'viewer', args: ['update', 'webhooks.auditing.kubesphere.io'], allowed: false },
    {
      user: 'viewer',
      args: ['patch', 'rules.auditing.kubesphere.io', '-n', 'kubesphere-logging-system'],
      allowed: false,
    },
    { user: 'viewer', args: ['create', 'configmaps', '-n', 'demo'], allowed: false },
  ] as const)('kubectl auth can-i says $user may $args.0 $args.1: $allowed', async ({ user, args, allowed }) => {
    const result = await kubectl(['auth', 'can-i', ...args], { context: user });
    expect(result.stdout.trim(), result.stderr).toBe(allowed ? 'yes' : 'no');
  });

  test('the tenant lists events in demo but is refused in kubesphere-system', async () => {
    const core = kubeConfigAs('tenant').makeApiClient(CoreV1Api);
    await expect(core.listNamespacedEvent({ namespace: 'demo' })).resolves.toHaveProperty('items');
    await expect(core.listNamespacedEvent({ namespace: 'kubesphere-system' })).rejects.toMatchObject({ code: 403 });
  });

  test('the viewer reads the Webhook but may neither patch it nor read Secrets', async () => {
    const kc = kubeConfigAs('viewer');
    const objects = kc.makeApiClient(CustomObjectsApi);
    const webhook = {
      group: 'auditing.kubesphere.io',
      version: 'v1alpha1',
      plural: 'webhooks',
      name: 'kube-auditing-webhook',
    };
    await expect(objects.getClusterCustomObject(webhook)).resolves.toHaveProperty('spec');
    const patch = objects.patchClusterCustomObject(
      { ...webhook, body: { spec: { auditLevel: 'None' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await expect(patch).rejects.toBeInstanceOf(ApiException);
    await expect(patch).rejects.toMatchObject({ code: 403 });
    const core = kc.makeApiClient(CoreV1Api);
    await expect(
      core.readNamespacedSecret({ name: 'kube-auditing-webhook-secret', namespace: 'kubesphere-logging-system' }),
    ).rejects.toMatchObject({ code: 403 });
  });
});
