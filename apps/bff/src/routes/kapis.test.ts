import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@auditorium/archive';
import { normaliseBatch } from '@auditorium/audit-model';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import { kubesphereEvent } from '../receiver/testing/audit-batches.ts';
import { testKubeConfig, uniqueName } from '../receiver/testing/local-cluster.ts';

/**
 * ks-apiserver's auditing query API as KubeSphere's console calls it, over the console listener, against
 * the real local cluster (admin, tenant and viewer with the seed's RBAC) and a real SQLite archive:
 * parameters of reference §7.1, response shapes of §7.4, tenant scoping of §7.2.
 */
type User = 'admin' | 'tenant' | 'viewer';

const eventsPath = '/kapis/tenant.kubesphere.io/v1alpha2/auditing/events';

describe('KubeSphere query API on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let core: CoreV1Api;
  let dir: string;
  let store: SqliteEventStore;
  let app: ReturnType<typeof createApp>;
  const namespace = uniqueName('kapis-test');
  /** A resource no other test archives, so every query below sees only this file's events. */
  const resource = uniqueName('doohickeys');
  /** Seconds: the window of this file's events (a namespace hides the events from before its creation). */
  let startSeconds: number;
  const token = (user: User) => {
    const found = kubeConfig.users.find((entry) => entry.name === user)?.token;
    if (!found) throw new Error(`the test kubeconfig has no token for ${user}`);
    return found;
  };

  const get = (user: User | undefined, query: string, path = eventsPath) =>
    app.request(`${path}?${query}`, user ? { headers: { Authorization: `Bearer ${token(user)}` } } : {});
  const getJson = async (user: User, query: string, path?: string) => {
    const response = await get(user, query, path);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const mine = `objectref_resource_filter=${resource}`;

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    core = kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'auditorium.test': 'true' } } } });
    dir = mkdtempSync(join(tmpdir(), 'auditorium-kapis-'));
    store = await SqliteEventStore.open(join(dir, 'archive.sqlite'));

    // Five events a second apart, starting now: three in the tenant's `demo`, two in this test's namespace.
    startSeconds = Math.floor(Date.now() / 1000) + 1;
    const at = (offset: number) => new Date((startSeconds + offset) * 1000).toISOString();
    const event = (offset: number, verb: string, where: string, name: string) => ({
      ...kubesphereEvent({ verb, resource, namespace: where, name }),
      Workspace: '',
      RequestReceivedTimestamp: at(offset),
      StageTimestamp: at(offset),
    });
    const { events } = normaliseBatch({
      Items: [
        event(0, 'create', 'demo', 'first'),
        event(1, 'update', 'demo', 'second'),
        event(2, 'delete', 'demo', 'third'),
        event(3, 'create', namespace, 'hidden-one'),
        event(4, 'delete', namespace, 'hidden-two'),
      ],
    });
    await store.append(events.map((archived) => ({ event: archived, matchedRules: [], alerted: false })));

    app = createApp({
      version: '0.0.0',
      consoleDir: dir,
      probes: {},
      cluster: clusterAccess('local', kubeConfig),
      eventStore: store,
    });
  });

  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await core?.deleteNamespace({ name: namespace }).catch(() => {});
  });

  test('operation=query answers newest first, 10 by default, records in the archived shape', async () => {
    const body = (await getJson('admin', mine)) as {
      query: { total: number; records: Array<Record<string, unknown>> };
    };
    expect(body.query.total).toBe(5);
    expect(body.query.records.map((record) => (record.ObjectRef as { Name: string }).Name)).toEqual([
      'hidden-two',
      'hidden-one',
      'third',
      'second',
      'first',
    ]);
    // KubeSphere's archive line: groups and source IPs as one comma-joined string, verb lower-cased.
    expect(body.query.records[0]).toMatchObject({
      Verb: 'delete',
      ObjectRef: { Namespace: namespace, Resource: resource, Name: 'hidden-two' },
      User: { Username: expect.any(String), Groups: expect.any(String) },
      SourceIPs: expect.any(String),
    });
  });

  test('filters AND together, values within one filter OR, and sort/from/size page', async () => {
    const names = async (query: string) => {
      const body = (await getJson('admin', `${mine}&${query}`)) as {
        query: { total: number; records: Array<{ ObjectRef: { Name: string } }> };
      };
      return { total: body.query.total, names: body.query.records.map((record) => record.ObjectRef.Name) };
    };
    expect(await names('verb_filter=create,delete&objectref_namespace_filter=demo')).toEqual({
      total: 2,
      names: ['third', 'first'],
    });
    expect(await names('objectref_name_search=hidden')).toEqual({ total: 2, names: ['hidden-two', 'hidden-one'] });
    expect(await names('sort=asc&from=1&size=2')).toEqual({ total: 5, names: ['second', 'third'] });
    expect(await names(`start_time=${startSeconds + 1}&end_time=${startSeconds + 3}`)).toEqual({
      total: 3,
      names: ['hidden-one', 'third', 'second'],
    });
  });

  test('operation=statistics and operation=histogram answer in their shapes', async () => {
    expect(await getJson('admin', `operation=statistics&${mine}`)).toEqual({
      statistics: { resources: 5, events: 5 },
    });
    const histogram = (await getJson(
      'admin',
      `operation=histogram&interval=1s&start_time=${startSeconds}&end_time=${startSeconds + 4}&${mine}`,
    )) as { histogram: { total: number; buckets: Array<{ time: number; count: number }> } };
    expect(histogram.histogram.total).toBe(5);
    const counted = histogram.histogram.buckets.filter((bucket) => bucket.count > 0);
    expect(counted.map((bucket) => bucket.time)).toEqual(
      [0, 1, 2, 3, 4].map((offset) => (startSeconds + offset) * 1000),
    );
    expect(counted.every((bucket) => bucket.count === 1)).toBe(true);
  });

  test("scopes each caller to the namespaces where they may list events, as ks-apiserver's tenant API does", async () => {
    const visible = async (user: User) => {
      const body = (await getJson(user, `${mine}&sort=asc`)) as {
        query: { total: number; records: Array<{ ObjectRef: { Name: string } }> };
      };
      return body.query.records.map((record) => record.ObjectRef.Name);
    };
    expect(await visible('tenant')).toEqual(['first', 'second', 'third']);
    expect(await visible('viewer')).toEqual(['first', 'second', 'third', 'hidden-one', 'hidden-two']);
    expect(await getJson('tenant', `operation=statistics&${mine}`)).toEqual({
      statistics: { resources: 3, events: 3 },
    });
    // Asking for a namespace outside the scope finds nothing rather than an error.
    expect(await getJson('tenant', `${mine}&objectref_namespace_filter=${namespace}`)).toEqual({
      query: { total: 0, records: [] },
    });
  });

  test('answers the multi-cluster path for this cluster', async () => {
    const body = (await getJson(
      'admin',
      mine,
      '/kapis/clusters/host/tenant.kubesphere.io/v1alpha2/auditing/events',
    )) as {
      query: { total: number };
    };
    expect(body.query.total).toBe(5);
  });

  test('answers a malformed parameter with a 400 Status naming it, and no credentials with 401', async () => {
    const bad = await get('admin', `${mine}&operation=count&start_time=yesterday`);
    expect(bad.status).toBe(400);
    const status = (await bad.json()) as { kind: string; details?: { causes?: Array<{ field?: string }> } };
    expect(status.kind).toBe('Status');
    expect(status.details?.causes?.map((cause) => cause.field).sort()).toEqual(['operation', 'start_time']);

    const anonymous = await get(undefined, mine);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { kind: string }).kind).toBe('Status');
  });
});
