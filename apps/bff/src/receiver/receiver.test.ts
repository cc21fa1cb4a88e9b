import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@auditorium/archive';
import { normaliseBatch, receiverPath } from '@auditorium/audit-model';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { staticConfigSource } from './config-source.ts';
import { startReceiver } from './index.ts';
import type { LiveEvent } from './live-bus.ts';
import {
  kubernetesBatch,
  kubernetesBatchOf,
  kubernetesEvent,
  kubesphereBatchBody,
  kubesphereEvent,
  shippedConfig,
} from './testing/audit-batches.ts';
import { send } from './testing/http-client.ts';
import { startTestReceiver, type TestReceiver } from './testing/test-receiver.ts';

const acceptKubernetes = shippedConfig({ k8sAuditingEnabled: true });

describe('receiver pipeline', () => {
  let server: TestReceiver;
  const archiveLines: string[] = [];
  beforeAll(async () => {
    server = await startTestReceiver({
      configObjects: acceptKubernetes,
      archiveStdout: (text) => archiveLines.push(...text.trimEnd().split('\n')),
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  test('publishes every received event on the live bus, marked with what the rules did to it', async () => {
    const subscription = server.receiver.liveBus.subscribe();
    const update = kubernetesEvent({ verb: 'update', resource: 'configmaps' });
    const get = kubernetesEvent({ verb: 'get', resource: 'configmaps' });
    const exec = kubernetesEvent({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'web-0' });
    expect((await server.post(kubernetesBatch([update, get, exec]))).status).toBe(200);

    const iterator = subscription[Symbol.asyncIterator]();
    const message = await iterator.next();
    subscription.close();
    expect(message.value?.type).toBe('events');
    const byId = new Map(
      (message.value?.type === 'events' ? message.value.events : []).map((live: LiveEvent) => [
        live.event.AuditID,
        live,
      ]),
    );
    expect(byId.get(update.auditID as string)).toMatchObject({
      archived: true,
      alerted: false,
      matchedRules: ['archiving', 'ResourceChange'],
    });
    expect(byId.get(get.auditID as string)).toMatchObject({
      archived: false,
      alerted: false,
      matchedRules: [],
      dropReason: 'not-selected-by-rules',
    });
    expect(byId.get(exec.auditID as string)).toMatchObject({
      archived: true,
      alerted: true,
      matchedRules: ['archiving', 'ResourceChange', 'AttachOrExecPod'],
    });
    const stored = await server.storedRecords([update, get, exec].map((event) => event.auditID as string));
    expect([...stored.keys()].sort()).toEqual([update.auditID, exec.auditID].sort());
    expect(stored.get(exec.auditID as string)).toMatchObject({ alerted: true });
  });

  test("prints KubeSphere's archive line for each archived event when ARCHIVE_STDOUT is on", async () => {
    archiveLines.length = 0;
    const event = kubesphereEvent({ verb: 'delete', namespace: 'demo' });
    expect((await server.post(kubesphereBatchBody([event]))).status).toBe(200);
    expect(archiveLines).toHaveLength(1);
    const line = JSON.parse(archiveLines[0]!);
    expect(line).toMatchObject({
      AuditID: event.AuditID,
      Verb: 'delete',
      Workspace: 'demo',
      SourceIPs: '10.0.0.8',
      User: { Username: 'admin', Groups: 'system:authenticated' },
      RequestObject: '',
      ObjectRef: { Namespace: 'demo' },
    });
    expect(line).not.toHaveProperty('UserAgent');
  });

  test('keeps a stats snapshot for the Overview', async () => {
    const { body } = kubernetesBatchOf(7, { verb: 'patch' });
    expect((await server.post(body)).status).toBe(200);
    const stats = server.receiver.stats();
    expect(stats.totals.received).toBeGreaterThanOrEqual(7);
    expect(stats.receivedBySource.kubernetes).toBeGreaterThanOrEqual(7);
    expect(stats.lastEventAt.kubernetes).toBeDefined();
    expect(stats.droppedByReason['not-selected-by-rules']).toBeGreaterThanOrEqual(1);
  });
});

describe('receiver configuration', () => {
  let server: TestReceiver;
  beforeAll(async () => {
    server = await startTestReceiver({ configObjects: acceptKubernetes });
  });
  afterAll(async () => {
    await server?.close();
  });

  test('reports each rule item and the ones that failed to load, with a metric', async () => {
    const shipped = shippedConfig({ k8sAuditingEnabled: true });
    server.config.update({
      ...shipped,
      ruleCRs: [
        ...shipped.ruleCRs,
        {
          metadata: { name: 'broken-rule', namespace: 'demo', labels: { type: 'alerting' } },
          spec: {
            rules: [
              { name: 'bad-syntax', type: 'rule', condition: 'Verb = = "x"', enable: true, priority: 'WARNING' },
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a KubeSphere rule reference, not a template
              { name: 'unknown-ref', type: 'rule', condition: '${nowhere}', enable: true, priority: 'WARNING' },
              { name: 'off', type: 'rule', condition: 'Verb = "delete"', enable: false, priority: 'WARNING' },
            ],
          },
        },
      ],
    });
    const status = server.receiver.ruleStatus();
    expect(status?.webhook).toEqual({ name: 'kube-auditing-webhook', found: true });
    const item = (name: string) => status?.items.find((entry) => entry.item === name);
    expect(item('archiving')).toMatchObject({ ruleCR: 'archiving-rule', state: 'active', archiving: true });
    expect(item('AttachOrExecPod')).toMatchObject({ state: 'active', alerting: true, priority: 'WARNING' });
    expect(item('off')).toMatchObject({ state: 'disabled' });
    expect(item('bad-syntax')).toMatchObject({ ruleCR: 'broken-rule', namespace: 'demo', state: 'error' });
    expect(item('bad-syntax')?.messages[0]).toContain('syntax error');
    expect(item('unknown-ref')?.messages[0]).toContain('nowhere');
    expect(await server.receiver.metrics.registry.metrics()).toContain('auditorium_rule_load_errors 2');

    // The rules that did load keep working.
    const { ids, body } = kubernetesBatchOf(1, { verb: 'create' });
    expect((await server.post(body)).status).toBe(200);
    expect((await server.storedIds(ids)).size).toBe(1);
  });

  test('applies a Webhook change to the very next batch', async () => {
    server.config.update(shippedConfig({ k8sAuditingEnabled: false }));
    const off = kubernetesBatchOf(2, { verb: 'update' });
    expect((await server.post(off.body)).status).toBe(200);
    expect((await server.storedIds(off.ids)).size).toBe(0);

    server.config.update(shippedConfig({ k8sAuditingEnabled: true }));
    const on = kubernetesBatchOf(2, { verb: 'update' });
    expect((await server.post(on.body)).status).toBe(200);
    expect((await server.storedIds(on.ids)).size).toBe(2);
  });

  test('answers 503 with Retry-After until its configuration has loaded', async () => {
    const loaded = staticConfigSource(acceptKubernetes);
    let ready = false;
    const receiver = await startReceiver({
      store: server.store,
      host: '127.0.0.1',
      port: 0,
      tls: false,
      logger: pino({ level: 'silent' }),
      config: {
        ...loaded,
        current: () => (ready ? loaded.current() : undefined),
        health: () => (ready ? { state: 'ok' } : { state: 'starting', reason: 'waiting for the first list' }),
      },
    });
    try {
      const url = `${receiver.url}${receiverPath}`;
      const early = await send(url, kubernetesBatchOf(1).body);
      expect(early.status).toBe(503);
      expect(early.headers['retry-after']).toBe('1');
      expect(early.statusBody?.message).toContain('waiting for the first list');
      expect(receiver.health().state).toBe('starting');
      ready = true;
      expect((await send(url, kubernetesBatchOf(1).body)).status).toBe(200);
      expect(receiver.health().state).toBe('ok');
    } finally {
      await receiver.close();
    }
  });
});

describe('receiver archive retention', () => {
  test('prunes archived events older than the retention period and keeps the rest', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'auditorium-retention-'));
    const store = await SqliteEventStore.open(join(directory, 'archive.sqlite'));
    const day = 86_400_000;
    const receivedAgo = (ms: number): Record<string, unknown> => {
      const at = new Date(Date.now() - ms).toISOString();
      return { ...kubesphereEvent({ verb: 'delete' }), RequestReceivedTimestamp: at, StageTimestamp: at };
    };
    const old = receivedAgo(3 * day);
    const recent = receivedAgo(day / 2);
    const { events } = normaliseBatch({ Items: [old, recent] });
    await store.append(events.map((event) => ({ event, matchedRules: [], alerted: false })));
    const server = await startTestReceiver({ store, configObjects: acceptKubernetes, retentionMs: day });
    try {
      await expect.poll(async () => (await server.storedIds([old.AuditID as string])).size).toBe(0);
      expect((await server.storedIds([recent.AuditID as string])).size).toBe(1);
      expect(await server.receiver.metrics.registry.metrics()).toContain('auditorium_archive_pruned_total 1');
    } finally {
      await server.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
