import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import { testKubeConfig } from '../receiver/testing/local-cluster.ts';
import { callAs, jsonOf, type TestApp, type TestUser } from '../testing/cluster-app.ts';
import { type CapabilityName, capabilityQuestions, type Me } from './me.ts';

/**
 * `GET /api/me` against the real local cluster: who the apiserver says each user is, and what the console
 * may offer them, as the seed's RBAC decides. Each capability is checked against a SubjectAccessReview
 * that admin asks about the user (what `kubectl auth can-i --as` does), the cluster's own answer, so the
 * test follows the RBAC rather than a copy of it.
 */
describe('GET /api/me on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let dir: string;
  let app: TestApp;
  const me = async (user: TestUser) => jsonOf<Me>(await callAs(app, kubeConfig, user, '/api/me'), 200);

  beforeAll(() => {
    kubeConfig = testKubeConfig();
    dir = mkdtempSync(join(tmpdir(), 'auditorium-me-'));
    app = createApp({ version: '0.0.0', consoleDir: dir, probes: {}, cluster: clusterAccess('local', kubeConfig) });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('each user is who the cluster says, with the groups it gives them', async () => {
    for (const user of ['admin', 'tenant', 'viewer'] as const) {
      const answer = await me(user);
      expect(answer.user.username).toBe(user);
      expect(answer.user.groups).toContain('system:authenticated');
    }
  });

  test.each(['admin', 'tenant', 'viewer'] as const)(
    'the capabilities of %s are the cluster RBAC answers',
    async (user) => {
      const answer = await me(user);
      const authorization = kubeConfig.makeApiClient(AuthorizationV1Api);
      const names = Object.keys(capabilityQuestions) as CapabilityName[];
      expect(Object.keys(answer.capabilities).sort()).toEqual([...names].sort());
      for (const name of names) {
        const review = await authorization.createSubjectAccessReview({
          body: {
            spec: { user, groups: ['system:authenticated'], resourceAttributes: { ...capabilityQuestions[name] } },
          },
        });
        const allowed = review.status?.allowed === true;
        expect(answer.capabilities[name].allowed, `${user} ${name}`).toBe(allowed);
        if (!allowed) expect(answer.capabilities[name].reason).toMatch(/^The cluster does not allow you to /);
      }
    },
  );

  test('the three users differ as the seed RBAC says: admin everything, viewer reads, tenant neither', async () => {
    const allowed = async (user: TestUser) =>
      Object.entries((await me(user)).capabilities)
        .filter(([, capability]) => capability.allowed)
        .map(([name]) => name)
        .sort();
    expect(await allowed('admin')).toEqual(Object.keys(capabilityQuestions).sort());
    expect(await allowed('viewer')).toEqual(
      ['listCrds', 'listEventsClusterWide', 'listRules', 'readKubesphereConfig', 'readWebhook'].sort(),
    );
    expect(await allowed('tenant')).toEqual([]);
  });

  test('the event scope: everything for admin and viewer, namespace demo for the tenant', async () => {
    expect((await me('admin')).events).toEqual({ kind: 'all' });
    expect((await me('viewer')).events).toEqual({ kind: 'all' });
    const tenant = (await me('tenant')).events;
    expect(tenant.kind).toBe('tenant');
    // Test files running beside this one create namespaces (labelled auditorium.test) and some grant the
    // tenant rights there; of the cluster's own namespaces, the tenant has demo only.
    const created = new Set(
      (await kubeConfig.makeApiClient(CoreV1Api).listNamespace({ labelSelector: 'auditorium.test=true' })).items.map(
        (namespace) => namespace.metadata?.name,
      ),
    );
    const names = tenant.kind === 'tenant' ? tenant.namespaces.map((namespace) => namespace.name) : [];
    expect(names.filter((name) => !created.has(name))).toEqual(['demo']);
  });
});
