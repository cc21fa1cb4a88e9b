import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import { CoreV1Api, type KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AppOptions, createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import { kubesphereBatchBody, kubesphereEvent } from '../receiver/testing/audit-batches.ts';
import { testKubeConfig, uniqueName } from '../receiver/testing/local-cluster.ts';
import { startTestReceiver, type TestReceiver } from '../receiver/testing/test-receiver.ts';
import { kubeNamespaceCatalogue } from '../scope/namespace-catalogue.ts';
import { ScopeResolver } from '../scope/scope-resolver.ts';
import type { StreamedEvent } from '../stream/event-stream.ts';
import { LiveJournal } from '../stream/live-journal.ts';
import { callAs, jsonOf, type TestApp, type TestUser, userToken } from '../testing/cluster-app.ts';
import { SseReader } from '../testing/sse-reader.ts';

/**
 * The console's event views end to end, wired as main.ts wires them: events posted to a real receiver
 * (TLS intake, rules, SQLite archive) reach the SSE stream through a LiveJournal over the receiver's live
 * bus, and the archive search, statistics, histogram, export and KubeSphere's /kapis query read what it
 * archived. Each user sees what the real cluster's RBAC lets them: the tenant only namespace `demo`.
 */
interface OpenStreamOptions {
  query?: string;
  headers?: Record<string, string>;
  filter?: string;
  on?: TestApp;
}

describe('event stream and search on a real cluster and receiver', () => {
  let kubeConfig: KubeConfig;
  let core: CoreV1Api;
  let receiver: TestReceiver;
  let journal: LiveJournal;
  let app: TestApp;
  const readers: SseReader[] = [];
  /** A namespace the tenant has no rights in. */
  const hidden = uniqueName('events-test');
  /** A resource no other test uses, so searches see only this file's events. */
  const resource = uniqueName('widgets');
  const mine = `resource=${resource}`;
  let postedIds: Record<'demoCreate' | 'demoDelete' | 'hiddenCreate' | 'hiddenDelete', string>;
  let batch: Array<Record<string, unknown>>;
  let streams: Record<'tenant' | 'admin' | 'adminDeletes', SseReader>;

  /** A stream as `authorization` sees it, once subscribed; `on` is the app, `filter` the query before `query`. */
  const openStreamAs = async (
    authorization: string,
    { query = '', headers = {}, filter = mine, on = app }: OpenStreamOptions = {},
  ) => {
    const response = await on.request(`/api/events/stream?${filter}${query}`, {
      headers: { Authorization: authorization, ...headers },
    });
    if (response.status !== 200) throw new Error(`stream: HTTP ${response.status}: ${await response.text()}`);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = new SseReader(response);
    readers.push(reader);
    // Subscribed once the stream says so; events posted after this reach it.
    await reader.until((_, comments) => comments.includes('connected'));
    return reader;
  };
  const openStream = (user: TestUser, query = '', headers: Record<string, string> = {}, filter = mine) =>
    openStreamAs(`Bearer ${userToken(kubeConfig, user)}`, { query, headers, filter });
  /** The app as main.ts wires it over this file's receiver and journal, with `options` on top. */
  const appWith = (options: Partial<AppOptions> = {}) =>
    createApp({
      version: '0.0.0',
      consoleDir: receiver.directory,
      probes: {},
      cluster: clusterAccess('local', kubeConfig),
      eventStore: receiver.store,
      journal,
      ...options,
    });
  /** A KubeSphere event received now (a namespace hides what came before its creation). */
  const eventNow = (verb: string, namespace: string, resourceName: string, name = `${verb}-${namespace}`) => {
    const now = new Date().toISOString();
    return {
      ...kubesphereEvent({ verb, resource: resourceName, namespace, name }),
      Workspace: '',
      RequestReceivedTimestamp: now,
      StageTimestamp: now,
    };
  };
  const namespacesOf = (events: Array<{ ObjectRef?: { Namespace?: string } | null }>) =>
    events.map((event) => event.ObjectRef?.Namespace);

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    core = kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: hidden, labels: { 'auditorium.test': 'true' } } } });
    receiver = await startTestReceiver();
    // As main.ts does: one journal over the receiver's bus feeds every stream.
    journal = new LiveJournal(receiver.receiver.liveBus);
    app = appWith();

    // Streams open before anything is posted, so they get it live.
    streams = {
      tenant: await openStream('tenant'),
      admin: await openStream('admin'),
      adminDeletes: await openStream('admin', '&verb=delete'),
    };
    const event = (verb: string, namespace: string) => eventNow(verb, namespace, resource);
    batch = [event('create', 'demo'), event('create', hidden), event('delete', 'demo'), event('delete', hidden)];
    postedIds = {
      demoCreate: batch[0]!.AuditID as string,
      hiddenCreate: batch[1]!.AuditID as string,
      demoDelete: batch[2]!.AuditID as string,
      hiddenDelete: batch[3]!.AuditID as string,
    };
    // The receiver answers after the archive commit, so the search tests find the batch at once.
    expect((await receiver.post(kubesphereBatchBody(batch))).status).toBe(200);
  });

  afterAll(async () => {
    for (const reader of readers) reader.close();
    journal?.close();
    await receiver?.close();
    await core?.deleteNamespace({ name: hidden }).catch(() => {});
  });

  test('the tenant stream carries only namespace demo, the admin stream everything, filters apply', async () => {
    const { tenant, admin, adminDeletes } = streams;
    await admin.until(() => admin.events().length >= 4);
    expect(admin.events().map((streamed) => streamed.event.AuditID)).toEqual(batch.map((item) => item.AuditID));
    expect(admin.events().every((streamed) => streamed.archived)).toBe(true);

    await tenant.until(() => tenant.events().length >= 2);
    await adminDeletes.until(() => adminDeletes.events().length >= 2);
    // Everything published went to every stream in one message, so nothing more is on its way.
    expect(namespacesOf(tenant.events().map((streamed) => streamed.event))).toEqual(['demo', 'demo']);
    expect(tenant.events().map((streamed) => streamed.event.AuditID)).toEqual([
      postedIds.demoCreate,
      postedIds.demoDelete,
    ]);
    expect(adminDeletes.events().map((streamed) => streamed.event.AuditID)).toEqual([
      postedIds.demoDelete,
      postedIds.hiddenDelete,
    ]);
    // One frame for the receiver's batch, not one per event.
    expect(tenant.frames.filter((frame) => frame.event === 'events')).toHaveLength(1);
  });

  test('a reconnect with Last-Event-ID gets what came after that frame, still scoped', async () => {
    // Its own resource, so the searches below still see only the first batch.
    const gadgets = uniqueName('gadgets');
    const later = `resource=${gadgets}`;
    const event = (verb: string, namespace: string) => eventNow(verb, namespace, gadgets);
    const tenant = await openStream('tenant', '', {}, later);
    const first = [event('create', 'demo'), event('create', hidden)];
    expect((await receiver.post(kubesphereBatchBody(first))).status).toBe(200);
    await tenant.until(() => tenant.events().length >= 1);
    const firstId = tenant.frames.find((frame) => frame.event === 'events')?.id;
    expect(firstId).toBeDefined();
    const second: Array<Record<string, unknown>> = [event('delete', 'demo'), event('delete', hidden)];
    expect((await receiver.post(kubesphereBatchBody(second))).status).toBe(200);
    await tenant.until(() => tenant.events().length >= 2);

    const resumed = await openStream('tenant', '', { 'Last-Event-ID': firstId! }, later);
    await resumed.until(() => resumed.events().length >= 1);
    expect(resumed.events().map((streamed) => streamed.event.AuditID)).toEqual([second[0]!.AuditID as string]);
  });

  test('a reconnect the ring cannot cover replays from the archive, scoped the same way', async () => {
    // An id of another server run (another epoch), from just before the batch: the stream asks the archive.
    const before = Date.parse(batch[0]!.RequestReceivedTimestamp as string) - 1000;
    const lastEventId = `zzzzzz.1.${before}`;
    const replayFor = async (user: TestUser) => {
      const reader = await openStream(user, '', { 'Last-Event-ID': lastEventId });
      await reader.until((frames) => frames.some((frame) => frame.event === 'gap'));
      reader.close();
      const replayed = reader.frames
        .filter((frame) => frame.event === 'replayed')
        .map((frame) => JSON.parse(frame.data!) as StreamedEvent);
      const gap = JSON.parse(reader.frames.find((frame) => frame.event === 'gap')!.data!) as {
        reason: string;
        replayed: number;
        complete: boolean;
      };
      return { replayed, gap };
    };
    const tenant = await replayFor('tenant');
    expect(tenant.gap).toMatchObject({ reason: 'restarted', replayed: 2, complete: true });
    expect(tenant.replayed.map((streamed) => streamed.event.AuditID)).toEqual([
      postedIds.demoCreate,
      postedIds.demoDelete,
    ]);
    expect(tenant.replayed.every((streamed) => streamed.archived)).toBe(true);
    const admin = await replayFor('admin');
    expect(new Set(admin.replayed.map((streamed) => streamed.event.AuditID))).toEqual(
      new Set(Object.values(postedIds)),
    );
  });

  test('a viewer whose access is revoked stops getting the namespace within a re-read of their rights', async () => {
    // Someone the cluster lets list events in one namespace only, by a RoleBinding this test then deletes.
    const namespace = uniqueName('revoked');
    const account = 'auditor';
    await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'auditorium.test': 'true' } } } });
    try {
      await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: account } } });
      const rbac = kubeConfig.makeApiClient(RbacAuthorizationV1Api);
      await rbac.createNamespacedRole({
        namespace,
        body: {
          metadata: { name: 'event-reader' },
          rules: [{ apiGroups: [''], resources: ['events'], verbs: ['list'] }],
        },
      });
      await rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name: 'event-reader' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'event-reader' },
          subjects: [{ kind: 'ServiceAccount', name: account, namespace }],
        },
      });
      const token = (
        await core.createNamespacedServiceAccountToken({
          namespace,
          name: account,
          body: { spec: { audiences: [], expirationSeconds: 600 } },
        })
      ).status?.token;
      expect(token).toBeTruthy();
      // Rights re-read every 300 ms instead of every 30 s, so the test need not wait half a minute; a heartbeat
      // every 100 ms keeps the reader below reading.
      const quick = appWith({
        scopes: new ScopeResolver({ ttlMs: 200, namespaceCatalogue: kubeNamespaceCatalogue(kubeConfig, 200) }),
        eventStream: { rescopeMs: 300, heartbeatMs: 100 },
      });
      const doohickeys = uniqueName('doohickeys');
      const open = (authorization: string) =>
        openStreamAs(authorization, { filter: `resource=${doohickeys}`, on: quick });
      const auditor = await open(`Bearer ${token}`);
      const admin = await open(`Bearer ${userToken(kubeConfig, 'admin')}`);
      const post = async (name: string) => {
        const event = eventNow('create', namespace, doohickeys, name);
        expect((await receiver.post(kubesphereBatchBody([event]))).status).toBe(200);
      };

      await post('before-revoking');
      await auditor.until(() => auditor.events().length >= 1);
      // From here the auditor's stream is read all along (the reader reads only while waiting), woken by the
      // heartbeats, so what reached it by the end is in its frames.
      let stopReading = false;
      const reading = auditor.until(() => stopReading, 20_000);
      await rbac.deleteNamespacedRoleBinding({ namespace, name: 'event-reader' });
      // Past a re-read of the rights (300 ms, plus the SelfSubjectAccessReviews it takes).
      await sleep(1500);
      await post('after-revoking');
      await admin.until(() => admin.events().length >= 2);
      // The same journal message reached both streams; a few heartbeats later the auditor's would show it.
      await sleep(500);
      stopReading = true;
      await reading;
      expect(auditor.events().map((streamed) => streamed.event.ObjectRef?.Name)).toEqual(['before-revoking']);
    } finally {
      await core.deleteNamespace({ name: namespace }).catch(() => {});
    }
  });

  test('a viewer who goes away (socket closed) stops being fed: the journal forgets the stream', async () => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    try {
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const { port } = server.address() as AddressInfo;
      const before = journal.viewers();
      const abort = new AbortController();
      const response = await fetch(`http://127.0.0.1:${port}/api/events/stream?${mine}`, {
        headers: { Authorization: `Bearer ${userToken(kubeConfig, 'tenant')}` },
        signal: abort.signal,
      });
      const reader = new SseReader(response);
      await reader.until((_, comments) => comments.includes('connected'));
      expect(journal.viewers()).toBe(before + 1);
      abort.abort();
      const deadline = Date.now() + 5_000;
      while (journal.viewers() > before && Date.now() < deadline) await sleep(50);
      expect(journal.viewers()).toBe(before);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('archive search, statistics, histogram and export: the tenant sees demo only, admin and viewer all', async () => {
    const search = async (user: TestUser) =>
      jsonOf<{ total: number; records: Array<{ event: { AuditID: string; ObjectRef?: { Namespace?: string } } }> }>(
        await callAs(app, kubeConfig, user, `/api/events?${mine}&sort=asc`),
        200,
      );
    const tenant = await search('tenant');
    expect(tenant.total).toBe(2);
    expect(namespacesOf(tenant.records.map((record) => record.event))).toEqual(['demo', 'demo']);
    for (const user of ['admin', 'viewer'] as const) {
      const all = await search(user);
      expect(all.total, user).toBe(4);
      expect(new Set(namespacesOf(all.records.map((record) => record.event))), user).toEqual(new Set(['demo', hidden]));
    }
    // Asking for the hidden namespace by name does not open it.
    const asked = await jsonOf<{ total: number }>(
      await callAs(app, kubeConfig, 'tenant', `/api/events?${mine}&namespace=${hidden}`),
      200,
    );
    expect(asked.total).toBe(0);

    const statistics = await jsonOf<{ events: number }>(
      await callAs(app, kubeConfig, 'tenant', `/api/events/statistics?${mine}`),
      200,
    );
    expect(statistics.events).toBe(2);
    const histogram = await jsonOf<{ total: number }>(
      await callAs(app, kubeConfig, 'tenant', `/api/events/histogram?${mine}&interval=1m`),
      200,
    );
    expect(histogram.total).toBe(2);

    const exported = await callAs(app, kubeConfig, 'tenant', `/api/events/export?${mine}&format=ndjson`);
    expect(exported.status).toBe(200);
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(JSON.stringify(lines)).not.toContain(hidden);
  });

  test("KubeSphere's /kapis query answers the tenant with demo only, as ks-apiserver's tenant API does", async () => {
    const query = async (user: TestUser) =>
      jsonOf<{ query: { total: number; records: Array<{ ObjectRef: { Namespace: string } }> } }>(
        await callAs(
          app,
          kubeConfig,
          user,
          `/kapis/tenant.kubesphere.io/v1alpha2/auditing/events?objectref_resource_filter=${resource}`,
        ),
        200,
      );
    const tenant = await query('tenant');
    expect(tenant.query.total).toBe(2);
    expect(tenant.query.records.map((record) => record.ObjectRef.Namespace)).toEqual(['demo', 'demo']);
    expect((await query('admin')).query.total).toBe(4);
  });

  test('the stream and search refuse a request without credentials, and a malformed filter names it', async () => {
    expect((await app.request(`/api/events/stream?${mine}`)).status).toBe(401);
    expect((await app.request(`/api/events?${mine}`)).status).toBe(401);
    const bad = await jsonOf<{ details: { causes: Array<{ field: string }> } }>(
      await callAs(app, kubeConfig, 'admin', '/api/events?code=teapot&level=Everything&size=0'),
      422,
    );
    expect(bad.details.causes.map((cause) => cause.field).sort()).toEqual(['code[0]', 'level[0]', 'size']);
  });
});
