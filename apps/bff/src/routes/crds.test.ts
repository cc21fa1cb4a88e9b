import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Status } from '@auditorium/audit-model';
import { CoreV1Api, CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import type { ConflictBody, KubeObject } from '../kube/kube-object.ts';
import { testKubeConfig, uniqueName } from '../receiver/testing/local-cluster.ts';
import type { CrdList, ResourceAccess, ResourceList, ResourceWritten } from './crds.ts';

/**
 * The CRD API against the real local cluster, as admin, tenant and viewer with the seed's RBAC: search with
 * counts, printer-column lists with paging, and writes of custom resources (409 with the live object,
 * dry run, the apiserver's 422 causes, 403 surfaced), plus the watch of one object. The test brings its own
 * CRD (namespaced, with printer columns, a category, an enum, a minimum and a default) and deletes it.
 */
type User = 'admin' | 'tenant' | 'viewer';

const webhookCrd = 'webhooks.auditing.kubesphere.io';
const crdResource = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('CRD API on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;
  let dir: string;
  let app: ReturnType<typeof createApp>;
  const namespace = uniqueName('crds-test');
  const group = `${uniqueName('gizmo')}.auditorium.test`;
  const plural = 'gizmos';
  const crdName = `${plural}.${group}`;
  const shortName = `gz${group.slice(6, 12)}`;
  const category = uniqueName('gadgetry');
  const objectNames = ['alpha', 'bravo', 'charlie'];

  const token = (user: User) => {
    const found = kubeConfig.users.find((entry) => entry.name === user)?.token;
    if (!found) throw new Error(`the test kubeconfig has no token for ${user}`);
    return found;
  };

  const call = (user: User, method: string, path: string, body?: unknown) =>
    app.request(`/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token(user)}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const json = async <T>(response: Response, status: number): Promise<T> => {
    expect(response.status, await response.clone().text()).toBe(status);
    return (await response.json()) as T;
  };

  const gizmo = (name: string) =>
    custom.getNamespacedCustomObject({ group, version: 'v1', plural, namespace, name }) as Promise<KubeObject>;

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
    core = kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'auditorium.test': 'true' } } } });
    // Raw, not through client-node's typed CRD model, which would drop `default` and `enum` (it spells them
    // `_default` and `_enum`).
    await custom.createClusterCustomObject({
      ...crdResource,
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: crdName },
        spec: {
          group,
          scope: 'Namespaced',
          names: { kind: 'Gizmo', plural, singular: 'gizmo', shortNames: [shortName], categories: [category] },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              additionalPrinterColumns: [
                { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
                { name: 'Color', type: 'string', jsonPath: '.spec.color', description: 'What it looks like' },
                { name: 'Shape', type: 'string', jsonPath: '.spec.shape', priority: 1 },
              ],
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: {
                        size: { type: 'integer', minimum: 1 },
                        color: { type: 'string', enum: ['red', 'green'] },
                        shape: { type: 'string', default: 'round' },
                      },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    });
    // The CRD serves its objects once it is Established; creating them earlier answers 404.
    for (let attempt = 0; ; attempt++) {
      const crd = (await custom.getClusterCustomObject({ ...crdResource, name: crdName })) as {
        status?: { conditions?: Array<{ type: string; status: string }> };
      };
      if (crd.status?.conditions?.some((condition) => condition.type === 'Established' && condition.status === 'True'))
        break;
      if (attempt > 100) throw new Error(`${crdName} never became Established`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const [index, name] of objectNames.entries()) {
      await custom.createNamespacedCustomObject({
        group,
        version: 'v1',
        plural,
        namespace,
        body: {
          apiVersion: `${group}/v1`,
          kind: 'Gizmo',
          metadata: { name },
          spec: { size: index + 1, color: index % 2 ? 'green' : 'red' },
        },
      });
    }
    dir = mkdtempSync(join(tmpdir(), 'auditorium-crds-'));
    app = createApp({ version: '0.0.0', consoleDir: dir, probes: {}, cluster: clusterAccess('local', kubeConfig) });
  });

  afterAll(async () => {
    await custom?.deleteClusterCustomObject({ ...crdResource, name: crdName }).catch(() => {});
    await core?.deleteNamespace({ name: namespace }).catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('search finds the Webhook CRD by its short name, with its object count', async () => {
    const list = await json<CrdList>(await call('admin', 'GET', '/crds?q=awh'), 200);
    const webhooks = list.items.find((item) => item.name === webhookCrd);
    expect(webhooks).toMatchObject({ kind: 'Webhook', group: 'auditing.kubesphere.io', scope: 'Cluster' });
    expect(webhooks?.shortNames).toContain('awh');
    // The seed creates exactly one Webhook, kube-auditing-webhook.
    expect(webhooks?.count).toEqual({ state: 'exact', value: 1 });
    expect(list.items.every((item) => JSON.stringify(item).toLowerCase().includes('awh'))).toBe(true);
  });

  test.each([
    { name: 'category', query: () => category },
    { name: 'short name', query: () => shortName },
    { name: 'group', query: () => group },
    { name: 'kind, in any case', query: () => 'gIZMo' },
  ])('search by $name finds the CRD with its object count', async ({ query }) => {
    const list = await json<CrdList>(await call('admin', 'GET', `/crds?q=${encodeURIComponent(query())}`), 200);
    const found = list.items.find((item) => item.name === crdName);
    expect(found).toMatchObject({ kind: 'Gizmo', scope: 'Namespaced', categories: [category], version: 'v1' });
    expect(found?.count).toEqual({ state: 'exact', value: objectNames.length });
  });

  test('the scope filter keeps only CRDs of that scope', async () => {
    const cluster = await json<CrdList>(await call('admin', 'GET', `/crds?q=${category}&scope=Cluster`), 200);
    expect(cluster.items).toEqual([]);
    const namespaced = await json<CrdList>(await call('admin', 'GET', `/crds?q=${category}&scope=Namespaced`), 200);
    expect(namespaced.items.map((item) => item.name)).toEqual([crdName]);
    const wrong = await json<Status>(await call('admin', 'GET', '/crds?scope=Galaxy'), 422);
    expect(wrong.details?.causes?.map((cause) => cause.field)).toEqual(['scope']);
  });

  test('a user who may read CRDs but not the objects sees the count as forbidden, with the reason', async () => {
    // The viewer's `view` role covers the auditing CRs but not this test's group.
    const list = await json<CrdList>(await call('viewer', 'GET', `/crds?q=${category}`), 200);
    const count = list.items.find((item) => item.name === crdName)?.count;
    expect(count?.state).toBe('forbidden');
    expect(count && 'reason' in count ? count.reason : '').toMatch(/viewer/);
  });

  test('a user who may not list CRDs gets the cluster’s 403', async () => {
    const status = await json<Status>(await call('tenant', 'GET', '/crds'), 403);
    expect(status.reason).toBe('Forbidden');
    expect(status.message).toMatch(/customresourcedefinitions/);
  });

  test('lists a CRD’s objects with its printer columns, page by page', async () => {
    const first = await json<ResourceList>(
      await call('admin', 'GET', `/crds/${crdName}/resources?namespace=${namespace}&limit=2`),
      200,
    );
    expect(first.columns.map((column) => [column.name, column.priority])).toEqual([
      ['Size', 0],
      ['Color', 0],
      ['Shape', 1],
    ]);
    expect(first.columns[1]?.description).toBe('What it looks like');
    expect(first.ageColumn).toBe(true);
    expect(first.namespaced).toBe(true);
    expect(first.items.map((row) => [row.name, row.namespace, ...row.cells])).toEqual([
      ['alpha', namespace, 1, 'red', 'round'],
      ['bravo', namespace, 2, 'green', 'round'],
    ]);
    expect(first.continue).toBeTruthy();
    expect(first.remainingItemCount).toBe(1);

    const second = await json<ResourceList>(
      await call(
        'admin',
        'GET',
        `/crds/${crdName}/resources?namespace=${namespace}&limit=2&continue=${encodeURIComponent(first.continue ?? '')}`,
      ),
      200,
    );
    expect(second.items.map((row) => [row.name, ...row.cells])).toEqual([['charlie', 3, 'red', 'round']]);
    expect(second.continue).toBeUndefined();
  });

  test('a replace on a stale resourceVersion is a 409 carrying the live object', async () => {
    const loaded = await gizmo('alpha');
    // Someone else saves first.
    await custom.patchNamespacedCustomObject(
      { group, version: 'v1', plural, namespace, name: 'alpha', body: { spec: { color: 'green' } } },
      mergePatch,
    );
    const mine = { ...loaded, spec: { ...(loaded.spec as object), size: 7 } };
    const conflict = await json<ConflictBody<KubeObject>>(
      await call('admin', 'PUT', `/crds/${crdName}/resources/${namespace}/alpha`, mine),
      409,
    );
    expect(conflict.status.reason).toBe('Conflict');
    const live = await gizmo('alpha');
    expect(conflict.live.metadata.resourceVersion).toBe(live.metadata.resourceVersion);
    expect(conflict.live.metadata.resourceVersion).not.toBe(loaded.metadata.resourceVersion);
    expect(conflict.live.spec).toMatchObject({ color: 'green', size: 1 });
    // Nothing was overwritten.
    expect(live.spec).toMatchObject({ color: 'green', size: 1 });
  });

  test('a dry run answers with the object the server would store and stores nothing', async () => {
    const loaded = await gizmo('bravo');
    const edited = { ...loaded, spec: { size: 9, color: 'red' } };
    const written = await json<ResourceWritten>(
      await call('admin', 'PUT', `/crds/${crdName}/resources/${namespace}/bravo?dryRun=All`, edited),
      200,
    );
    expect(written.dryRun).toBe(true);
    // The schema's default is applied to what would be stored: the server's result, not the request echoed.
    expect(written.object.spec).toEqual({ size: 9, color: 'red', shape: 'round' });
    const stored = await gizmo('bravo');
    expect(stored.spec).toMatchObject({ size: 2, color: 'green' });
    expect(stored.metadata.resourceVersion).toBe(loaded.metadata.resourceVersion);

    const saved = await json<ResourceWritten>(
      await call('admin', 'PUT', `/crds/${crdName}/resources/${namespace}/bravo`, edited),
      200,
    );
    expect(saved.dryRun).toBe(false);
    expect((await gizmo('bravo')).spec).toEqual({ size: 9, color: 'red', shape: 'round' });
  });

  test('a merge patch changes one field and keeps the rest', async () => {
    const written = await json<ResourceWritten>(
      await call('admin', 'PATCH', `/crds/${crdName}/resources/${namespace}/charlie`, { spec: { shape: 'square' } }),
      200,
    );
    expect(written.object.spec).toEqual({ size: 3, color: 'red', shape: 'square' });
    expect((await gizmo('charlie')).spec).toEqual({ size: 3, color: 'red', shape: 'square' });
  });

  test('an object that breaks the CRD’s schema is refused with 422 and one cause per field', async () => {
    const loaded = await gizmo('charlie');
    const invalid = { ...loaded, spec: { size: 0, color: 'blue' } };
    const status = await json<Status>(
      await call('admin', 'PUT', `/crds/${crdName}/resources/${namespace}/charlie`, invalid),
      422,
    );
    expect(status.reason).toBe('Invalid');
    const causes = status.details?.causes ?? [];
    expect(causes.map((cause) => cause.field).sort()).toEqual(['spec.color', 'spec.size']);
    expect(causes.find((cause) => cause.field === 'spec.color')).toMatchObject({
      reason: 'FieldValueNotSupported',
      message: expect.stringMatching(/"red", "green"/),
    });
    expect((await gizmo('charlie')).metadata.resourceVersion).toBe(loaded.metadata.resourceVersion);
  });

  test('an object that is not the one the URL names is refused before the cluster sees it', async () => {
    const loaded = await gizmo('charlie');
    const { resourceVersion: _dropped, ...metadata } = loaded.metadata;
    const status = await json<Status>(
      await call('admin', 'PUT', `/crds/${crdName}/resources/${namespace}/charlie`, {
        ...loaded,
        kind: 'Widget',
        metadata,
      }),
      422,
    );
    expect(status.details?.causes?.map((cause) => cause.field)).toEqual(['metadata.resourceVersion']);
    const wrongKind = await json<Status>(
      await call('admin', 'PUT', `/crds/${crdName}/resources/${namespace}/charlie`, {
        ...loaded,
        apiVersion: 'auditing.kubesphere.io/v1alpha1',
        kind: 'Widget',
      }),
      422,
    );
    expect(wrongKind.details?.causes?.map((cause) => [cause.field, cause.message])).toEqual([
      ['apiVersion', `must be ${group}/v1`],
      ['kind', 'must be Gizmo'],
    ]);
  });

  test('the viewer may read the Webhook but not change it: the cluster’s 403 is surfaced, and access says why', async () => {
    const webhook = await json<KubeObject>(
      await call('viewer', 'GET', `/crds/${webhookCrd}/resources/kube-auditing-webhook`),
      200,
    );
    const refused = await json<Status>(
      await call('viewer', 'PUT', `/crds/${webhookCrd}/resources/kube-auditing-webhook?dryRun=All`, webhook),
      403,
    );
    expect(refused.reason).toBe('Forbidden');
    expect(refused.message).toMatch(/User "viewer" cannot update resource "webhooks"/);

    const viewerAccess = await json<ResourceAccess>(
      await call('viewer', 'GET', `/crds/${webhookCrd}/access?object=kube-auditing-webhook`),
      200,
    );
    expect(viewerAccess.update.allowed).toBe(false);
    expect(viewerAccess.update.reason).toMatch(/update webhooks\.auditing\.kubesphere\.io "kube-auditing-webhook"/);
    const adminAccess = await json<ResourceAccess>(
      await call('admin', 'GET', `/crds/${webhookCrd}/access?object=kube-auditing-webhook`),
      200,
    );
    expect(adminAccess.update).toEqual({ allowed: true });
  });

  /** Reads the SSE stream until a MODIFIED event whose object matches `until`; returns that object. */
  const nextModified = async (response: Response, until: RegExp): Promise<{ object: KubeObject; id?: string }> => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    try {
      while (!received.split('\n\n').some((block) => block.startsWith('event: MODIFIED') && until.test(block))) {
        const { value, done } = await reader.read();
        if (done) break;
        received += value;
      }
    } finally {
      await reader.cancel();
    }
    const frame = received.split('\n\n').find((block) => block.startsWith('event: MODIFIED') && until.test(block));
    const object = JSON.parse(frame?.match(/^data: (.*)$/m)?.[1] ?? '{}') as KubeObject;
    const id = frame?.match(/^id: (.*)$/m)?.[1];
    return id ? { object, id } : { object };
  };

  test('the watch of one object streams a change made elsewhere as a MODIFIED event', async () => {
    const loaded = await gizmo('alpha');
    const response = await call(
      'admin',
      'GET',
      `/crds/${crdName}/resources/${namespace}/alpha/watch?resourceVersion=${loaded.metadata.resourceVersion}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    await custom.patchNamespacedCustomObject(
      { group, version: 'v1', plural, namespace, name: 'alpha', body: { spec: { size: 42 } } },
      mergePatch,
    );
    const { object, id } = await nextModified(response, /"size":42/);
    expect(object.spec).toMatchObject({ size: 42 });
    expect(id).toBe(object.metadata.resourceVersion);
  });

  test('a watch from a version older than the current one first sends the object as it is now', async () => {
    const loaded = await gizmo('bravo');
    // The change happens before the watch opens, while the editor still holds `loaded`.
    await custom.patchNamespacedCustomObject(
      { group, version: 'v1', plural, namespace, name: 'bravo', body: { spec: { size: 77 } } },
      mergePatch,
    );
    const response = await call(
      'admin',
      'GET',
      `/crds/${crdName}/resources/${namespace}/bravo/watch?resourceVersion=${loaded.metadata.resourceVersion}`,
    );
    expect(response.status).toBe(200);
    const { object } = await nextModified(response, /"size":77/);
    expect(object.metadata.resourceVersion).toBe((await gizmo('bravo')).metadata.resourceVersion);

    // A version far older than the apiserver's watch cache keeps (as an object unchanged since before a
    // restart has) is no 410: the stream starts with the current object.
    const ancient = await call('admin', 'GET', `/crds/${crdName}/resources/${namespace}/bravo/watch?resourceVersion=1`);
    expect((await nextModified(ancient, /"size":77/)).object.spec).toMatchObject({ size: 77 });
  });
});
