import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SqliteEventStore } from '@auditorium/archive';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  kubernetesBatch,
  kubernetesBatchOf,
  kubernetesEvent,
  kubesphereBatchBody,
  kubesphereEvent,
  shippedConfig,
} from './testing/audit-batches.ts';
import { makeClientCredentials } from './testing/client-certificates.ts';
import { gatedStore } from './testing/gated-store.ts';
import { type SendOptions, send } from './testing/http-client.ts';
import { startTestReceiver, type TestReceiver } from './testing/test-receiver.ts';

const maxBodyBytes = 1024 * 1024;
// kube-apiserver events are what most cases send, so the Webhook takes them (KubeSphere's default is off).
const acceptKubernetes = shippedConfig({ k8sAuditingEnabled: true });

describe('intake: malformed input', () => {
  let server: TestReceiver;
  beforeAll(async () => {
    server = await startTestReceiver({ maxBodyBytes, configObjects: acceptKubernetes });
  });
  afterAll(async () => {
    await server?.close();
  });

  const valid = () => kubernetesEvent({ verb: 'update' });
  const bombBody = gzipSync(Buffer.alloc(16 * maxBodyBytes, ' '));
  const corpus: Array<{
    name: string;
    body: string | Buffer | undefined;
    options?: SendOptions;
    status: number;
    reason: string;
    message?: string;
    field?: string;
  }> = [
    {
      name: 'truncated JSON',
      body: kubernetesBatch([valid()]).slice(0, 120),
      status: 400,
      reason: 'BadRequest',
      message: 'line 1 column 121',
    },
    {
      name: 'a JSON syntax error on a later line',
      body: '{\n  "kind": "EventList",\n  "items": [ {"auditID": x} ]\n}',
      status: 400,
      reason: 'BadRequest',
      message: 'line 3 column 26',
    },
    { name: 'an empty body', body: '', status: 400, reason: 'BadRequest', message: 'empty' },
    { name: 'a JSON null', body: 'null', status: 422, reason: 'Invalid', message: 'must be a JSON object' },
    { name: 'a bare array', body: JSON.stringify([valid()]), status: 422, reason: 'Invalid', message: 'a list' },
    { name: 'no items list', body: '{"kind":"EventList"}', status: 422, reason: 'Invalid', message: 'no items list' },
    { name: 'items that is not a list', body: '{"items":{"a":1}}', status: 422, reason: 'Invalid', field: 'items' },
    {
      name: 'a non-object item',
      body: JSON.stringify({ items: [valid(), 'oops'] }),
      status: 422,
      reason: 'Invalid',
      field: 'items[1]',
    },
    {
      name: 'a missing auditID',
      body: kubernetesBatch([{ ...valid(), auditID: undefined }]),
      status: 422,
      reason: 'Invalid',
      field: 'items[0].auditID',
    },
    {
      name: 'a number where the verb should be',
      body: kubernetesBatch([valid(), { ...valid(), verb: 42 }]),
      status: 422,
      reason: 'Invalid',
      field: 'items[1].verb',
    },
    {
      name: 'an unknown stage',
      body: kubernetesBatch([{ ...valid(), stage: 'Done' }]),
      status: 422,
      reason: 'Invalid',
      field: 'items[0].stage',
    },
    {
      name: 'a timestamp that is not a time',
      body: kubernetesBatch([{ ...valid(), requestReceivedTimestamp: 'yesterday' }]),
      status: 422,
      reason: 'Invalid',
      field: 'items[0].requestReceivedTimestamp',
    },
    {
      name: 'a string where objectRef should be an object',
      body: kubesphereBatchBody([{ ...kubesphereEvent(), ObjectRef: 'pods' }]),
      status: 422,
      reason: 'Invalid',
      field: 'Items[0].ObjectRef',
    },
    {
      name: 'a declared body over the limit',
      body: kubernetesBatch(Array.from({ length: 1500 }, valid)),
      status: 413,
      reason: 'RequestEntityTooLarge',
      message: 'declared body',
    },
    {
      name: 'a chunked body over the limit',
      body: kubernetesBatch(Array.from({ length: 1500 }, valid)),
      options: { chunked: true },
      status: 413,
      reason: 'RequestEntityTooLarge',
    },
    {
      name: 'a gzip bomb',
      body: bombBody,
      options: { headers: { 'content-encoding': 'gzip' } },
      status: 413,
      reason: 'RequestEntityTooLarge',
      message: 'gzip-decompressed',
    },
    {
      name: 'corrupt gzip',
      body: Buffer.from('this is not gzip'),
      options: { headers: { 'content-encoding': 'gzip' } },
      status: 400,
      reason: 'BadRequest',
      message: 'not valid gzip',
    },
    {
      name: 'an unsupported content encoding',
      body: kubernetesBatch([valid()]),
      options: { headers: { 'content-encoding': 'br' } },
      status: 415,
      reason: 'UnsupportedMediaType',
    },
    {
      name: 'a form content type',
      body: kubernetesBatch([valid()]),
      options: { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      status: 415,
      reason: 'UnsupportedMediaType',
      message: 'application/json',
    },
    {
      name: 'a non-UTF-8 charset',
      body: kubernetesBatch([valid()]),
      options: { headers: { 'content-type': 'application/json; charset=iso-8859-1' } },
      status: 415,
      reason: 'UnsupportedMediaType',
    },
  ];

  test.each(corpus)('rejects $name with $status $reason, and the next sender is still served', async (bad) => {
    const answer = await server.post(bad.body, bad.options);
    expect(answer.status, answer.text).toBe(bad.status);
    expect(answer.statusBody).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: bad.status,
      reason: bad.reason,
    });
    if (bad.message) expect(answer.statusBody?.message).toContain(bad.message);
    if (bad.field) expect(answer.statusBody?.details?.causes?.[0]?.field).toBe(bad.field);

    // Another sender, on its own connection, right after: served and archived.
    const otherSender = new Agent({ keepAlive: false, ca: server.receiver.caCertificate });
    const { ids, body } = kubernetesBatchOf(3, { verb: 'patch' });
    const next = await server.post(body, { agent: otherSender });
    otherSender.destroy();
    expect(next.status, next.text).toBe(200);
    expect((await server.storedIds(ids)).size).toBe(3);
  });

  test('keeps serving while several malformed batches arrive at once', async () => {
    const bad = corpus.map((entry) => server.post(entry.body, entry.options).catch(() => undefined));
    const { ids, body } = kubernetesBatchOf(5);
    const [good] = await Promise.all([server.post(body), ...bad]);
    expect(good?.status).toBe(200);
    expect((await server.storedIds(ids)).size).toBe(5);
    expect((await server.post(undefined, { method: 'GET', headers: {} })).status).toBe(404);
  });
});

describe('intake: accepted input', () => {
  let server: TestReceiver;
  beforeAll(async () => {
    server = await startTestReceiver({
      configObjects: acceptKubernetes,
      workspaceOf: (namespace) => (namespace === 'team-a' ? 'workspace-a' : undefined),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  test('archives both payload shapes, case-insensitive keys and gzip bodies', async () => {
    const kubernetes = kubernetesBatchOf(2, { verb: 'update' });
    const kubesphere = [kubesphereEvent({ verb: 'CREATE' })];
    const shouting = kubernetesEvent({ verb: 'delete' });
    const shoutingBody = JSON.stringify({
      ITEMS: [Object.fromEntries(Object.entries(shouting).map(([key, value]) => [key.toUpperCase(), value]))],
    });
    const gzipped = kubernetesBatchOf(2, { verb: 'patch' });

    expect((await server.post(kubernetes.body)).status).toBe(200);
    expect((await server.post(kubesphereBatchBody(kubesphere))).status).toBe(200);
    expect((await server.post(shoutingBody)).status).toBe(200);
    const gzipAnswer = await server.post(gzipSync(gzipped.body), { headers: { 'content-encoding': 'gzip' } });
    expect(gzipAnswer.status, gzipAnswer.text).toBe(200);

    const all = [...kubernetes.ids, kubesphere[0]!.AuditID as string, shouting.auditID as string, ...gzipped.ids];
    expect([...(await server.storedIds(all))].sort()).toEqual([...all].sort());
  });

  test('fills the workspace of a kube-apiserver event from its namespace', async () => {
    const { ids, body } = kubernetesBatchOf(1, { verb: 'create', namespace: 'team-a' });
    expect((await server.post(body)).status).toBe(200);
    expect((await server.storedRecords(ids)).get(ids[0]!)?.event.Workspace).toBe('workspace-a');
  });

  test('accepts a missing Content-Type and an application/*+json one', async () => {
    const first = kubernetesBatchOf(1);
    const second = kubernetesBatchOf(1);
    expect((await server.post(first.body, { headers: { 'content-type': '' } })).status).toBe(200);
    expect(
      (await server.post(second.body, { headers: { 'content-type': 'application/vnd.audit+json; charset=UTF-8' } }))
        .status,
    ).toBe(200);
  });
});

describe('intake: Webhook k8sAuditingEnabled false', () => {
  let server: TestReceiver;
  beforeAll(async () => {
    server = await startTestReceiver({ configObjects: shippedConfig({ k8sAuditingEnabled: false }) });
  });
  afterAll(async () => {
    await server?.close();
  });

  test('acknowledges kube-apiserver events, archives none and counts them as dropped', async () => {
    const { ids, body } = kubernetesBatchOf(4, { verb: 'update' });
    const answer = await server.post(body);
    expect(answer.status).toBe(200);
    expect((await server.storedIds(ids)).size).toBe(0);
    expect(server.receiver.stats().droppedByReason['k8s-auditing-disabled']).toBe(4);
    const metrics = await server.receiver.metrics.registry.metrics();
    expect(metrics).toContain('auditorium_events_dropped_total{reason="k8s-auditing-disabled"} 4');

    // ks-apiserver's events are still archived.
    const kubesphere = kubesphereEvent({ verb: 'delete' });
    expect((await server.post(kubesphereBatchBody([kubesphere]))).status).toBe(200);
    expect((await server.storedIds([kubesphere.AuditID as string])).size).toBe(1);
  });
});

describe('intake: durability and back-pressure', () => {
  let directory: string;
  let inner: SqliteEventStore;
  let server: TestReceiver;
  const store = () => server.store as ReturnType<typeof gatedStore>;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'auditorium-gated-'));
    inner = await SqliteEventStore.open(join(directory, 'archive.sqlite'));
    server = await startTestReceiver({
      store: gatedStore(inner),
      maxPendingEvents: 500,
      configObjects: acceptKubernetes,
    });
  });
  afterAll(async () => {
    await server?.close();
    await inner?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('answers 200 only after the archive has committed the batch', async () => {
    store().hold();
    const { ids, body } = kubernetesBatchOf(10);
    let answered = false;
    const answer = server.post(body).then((result) => {
      answered = true;
      return result;
    });
    await expect.poll(() => store().waiting()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    expect((await server.storedIds(ids)).size).toBe(0);
    store().release();
    expect((await answer).status).toBe(200);
    expect((await server.storedIds(ids)).size).toBe(10);
  });

  test('answers 429 with Retry-After while the archive is too far behind, and recovers', async () => {
    store().hold();
    const first = kubernetesBatchOf(400);
    const second = kubernetesBatchOf(200);
    const held = [server.post(first.body), server.post(second.body)];
    await expect.poll(() => store().waiting()).toBe(2);

    const refused = await server.post(kubernetesBatchOf(1).body);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.statusBody).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 1 } });

    store().release();
    expect((await Promise.all(held)).map((answer) => answer.status)).toEqual([200, 200]);
    const later = kubernetesBatchOf(1);
    expect((await server.post(later.body)).status).toBe(200);
  });

  test('answers 503 with Retry-After when the archive cannot commit', async () => {
    const closed = await SqliteEventStore.open(join(directory, 'closed.sqlite'));
    await closed.close();
    const failing = await startTestReceiver({ store: closed, configObjects: acceptKubernetes });
    try {
      const answer = await failing.post(kubernetesBatchOf(2).body);
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBeDefined();
      expect(answer.statusBody?.reason).toBe('ServiceUnavailable');
      expect(failing.receiver.health()).toMatchObject({ state: 'degraded' });
    } finally {
      await failing.close();
    }
  });
});

describe('intake: sender credentials', () => {
  let server: TestReceiver;
  let tokenDirectory: string;
  let client: Awaited<ReturnType<typeof makeClientCredentials>>;
  let stranger: Awaited<ReturnType<typeof makeClientCredentials>>;
  const token = randomUUID();
  beforeAll(async () => {
    tokenDirectory = mkdtempSync(join(tmpdir(), 'auditorium-token-'));
    writeFileSync(join(tokenDirectory, 'token'), `${token}\n`);
    client = await makeClientCredentials();
    stranger = await makeClientCredentials('stranger');
    writeFileSync(join(tokenDirectory, 'client-ca.crt'), client.caPem);
    server = await startTestReceiver({
      configObjects: acceptKubernetes,
      tokenFile: join(tokenDirectory, 'token'),
      clientCaFile: join(tokenDirectory, 'client-ca.crt'),
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(tokenDirectory, { recursive: true, force: true });
  });

  // A fresh connection per case: TLS client certificates belong to the connection.
  const fresh = (options: SendOptions = {}): SendOptions => ({
    agent: new Agent({ keepAlive: false, ca: server.receiver.caCertificate }),
    ...options,
  });

  test.each([
    { name: 'no credentials', options: () => fresh(), status: 401, reason: 'Unauthorized' },
    {
      name: 'a wrong bearer token',
      options: () => fresh({ headers: { authorization: 'Bearer not-the-token' } }),
      status: 403,
      reason: 'Forbidden',
    },
    {
      name: 'a malformed Authorization header',
      options: () => fresh({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      status: 403,
      reason: 'Forbidden',
    },
    {
      name: 'a client certificate from another CA',
      options: () => fresh({ cert: stranger.certPem, key: stranger.keyPem }),
      status: 403,
      reason: 'Forbidden',
    },
    {
      name: 'the right bearer token',
      options: () => fresh({ headers: { authorization: `Bearer ${token}` } }),
      status: 200,
    },
    {
      name: 'a client certificate from the client CA',
      options: () => fresh({ cert: client.certPem, key: client.keyPem }),
      status: 200,
    },
  ])('answers $status to $name', async ({ options, status, reason }) => {
    const answer = await server.post(kubernetesBatchOf(1).body, options());
    expect(answer.status, answer.text).toBe(status);
    if (reason) expect(answer.statusBody?.reason).toBe(reason);
    if (status === 401) expect(answer.headers['www-authenticate']).toContain('Bearer');
  });
});

describe('receiver listener', () => {
  let server: TestReceiver;
  beforeAll(async () => {
    server = await startTestReceiver({ configObjects: acceptKubernetes });
  });
  afterAll(async () => {
    await server?.close();
  });

  test('serves probes and Prometheus metrics beside the intake', async () => {
    expect((await server.post(kubernetesBatchOf(2).body)).status).toBe(200);
    const base = server.receiver.url;
    const options = { method: 'GET', headers: {}, ca: server.receiver.caCertificate! } as const;
    const healthz = await send(`${base}/healthz`, undefined, options);
    const readyz = await send(`${base}/readyz`, undefined, options);
    const readiness = await send(`${base}/readiness`, undefined, options);
    const metrics = await send(`${base}/metrics`, undefined, options);
    expect(healthz.status).toBe(200);
    expect(readyz.status).toBe(200);
    expect(JSON.parse(readyz.text)).toMatchObject({ state: 'ok' });
    expect(readiness.status).toBe(200);
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    for (const name of [
      'auditorium_events_received_total{source="kubernetes"} 2',
      'auditorium_events_archived_total{source="kubernetes"} 2',
      'auditorium_receiver_batch_duration_seconds_count{source="kubernetes"} 1',
      'auditorium_archive_queue_depth 0',
      'auditorium_rule_load_errors 0',
    ]) {
      expect(metrics.text).toContain(name);
    }
  });
});
