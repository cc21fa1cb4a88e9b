import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditingGroup, auditingVersion, type Status, webhookName, webhookPlural } from '@auditorium/audit-model';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import type { ConflictBody, KubeObject } from '../kube/kube-object.ts';
import { testKubeConfig } from '../receiver/testing/local-cluster.ts';
import { callAs, jsonOf, type TestApp, type TestUser } from '../testing/cluster-app.ts';
import type { WebhookView, WebhookWritten } from './webhook.ts';

/**
 * The Webhook CR through the BFF against the real local cluster: RBAC decides (the viewer's write is the
 * apiserver's 403), a stale write is a 409 carrying the live object, dryRun=All answers with what the
 * apiserver would store, and invalid input is a 422 whose causes name the fields. The seeded Webhook is
 * put back as it was after the file.
 */
type WebhookObject = KubeObject & { spec: Record<string, unknown> };

/** The only thing this file stores on the shared Webhook; removed afterwards. */
const testAnnotation = 'auditorium.test/webhook-api';

const resource = { group: auditingGroup, version: auditingVersion, plural: webhookPlural, name: webhookName };

describe('Webhook API on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let custom: CustomObjectsApi;
  let dir: string;
  let app: TestApp;
  let original: WebhookObject;

  const live = async () => (await custom.getClusterCustomObject(resource)) as WebhookObject;
  const put = (user: TestUser, body: unknown, query = '') =>
    callAs(app, kubeConfig, user, `/api/webhook${query}`, { method: 'PUT', body });
  const edited = (webhook: WebhookObject, spec: Record<string, unknown>) => ({
    apiVersion: webhook.apiVersion,
    kind: webhook.kind,
    metadata: { name: webhookName, resourceVersion: webhook.metadata.resourceVersion },
    spec: { ...webhook.spec, ...spec },
  });

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
    original = await live();
    dir = mkdtempSync(join(tmpdir(), 'auditorium-webhook-'));
    app = createApp({ version: '0.0.0', consoleDir: dir, probes: {}, cluster: clusterAccess('local', kubeConfig) });
  });

  afterAll(async () => {
    if (original) {
      // Only the annotation goes: other test files flip spec fields of the same Webhook meanwhile.
      const now = await live();
      const { [testAnnotation]: _, ...annotations } = now.metadata.annotations ?? {};
      await custom.replaceClusterCustomObject({
        ...resource,
        body: { ...now, metadata: { ...now.metadata, annotations } },
      });
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the viewer reads the Webhook with its checks; the tenant gets the cluster 403 with its message', async () => {
    const view = await jsonOf<WebhookView>(await callAs(app, kubeConfig, 'viewer', '/api/webhook'), 200);
    expect(view.webhook.metadata.name).toBe(webhookName);
    expect(view.webhook.metadata.resourceVersion).toBe((await live()).metadata.resourceVersion);
    expect(Array.isArray(view.problems)).toBe(true);
    // The viewer may list the Rules, so the checks ran against them.
    expect(view.rules?.map((rule) => rule.metadata.name).sort()).toEqual(
      expect.arrayContaining(['alerting-rule', 'archiving-rule']),
    );

    const forbidden = await callAs(app, kubeConfig, 'tenant', '/api/webhook');
    const status = await jsonOf<Status>(forbidden, 403);
    expect(status).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    // The apiserver's own words, naming the user and the resource.
    expect(status.message).toContain('User "tenant" cannot get resource "webhooks"');
    expect(status.message).toContain(auditingGroup);
  });

  test('the viewer cannot change the Webhook: 403 from the cluster, surfaced, and nothing changes', async () => {
    const before = await live();
    const response = await put('viewer', edited(before, { auditLevel: 'RequestResponse' }));
    const status = await jsonOf<Status>(response, 403);
    expect(status).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    expect(status.message).toContain('User "viewer" cannot update resource "webhooks"');
    expect(status.details).toMatchObject({ name: webhookName, group: auditingGroup, kind: webhookPlural });
    // Other files may write the Webhook meanwhile, but never this value.
    expect((await live()).spec.auditLevel).not.toBe('RequestResponse');
  });

  test('dryRun=All answers with the object the apiserver would store, and stores nothing', async () => {
    const before = await live();
    const response = await put('admin', edited(before, { auditLevel: 'Request', replicas: 41 }), '?dryRun=All');
    const written = await jsonOf<WebhookWritten>(response, 200);
    expect(written.dryRun).toBe(true);
    expect(written.webhook.spec).toMatchObject({ auditLevel: 'Request', replicas: 41 });
    // Made by the apiserver, not echoed: it bumped the generation and recorded our field manager.
    expect(written.webhook.metadata.generation).toBe((before.metadata.generation ?? 0) + 1);
    const managers = (written.webhook.metadata.managedFields as Array<{ manager: string }>).map((m) => m.manager);
    expect(managers).toContain('auditorium');
    expect(written.webhook.metadata.uid).toBe(before.metadata.uid);

    expect((await live()).spec.replicas).not.toBe(41);
  });

  test('admin saves with the version loaded; a stale save is a 409 carrying the live object', async () => {
    // Stored edits touch only an annotation: other tests and the cluster's operator read the seeded spec.
    const annotated = (webhook: WebhookObject, value: string) => ({
      ...edited(webhook, {}),
      metadata: {
        name: webhookName,
        resourceVersion: webhook.metadata.resourceVersion,
        annotations: { ...webhook.metadata.annotations, [testAnnotation]: value },
      },
    });
    const loaded = await live();
    const saved = await jsonOf<WebhookWritten>(await put('admin', annotated(loaded, 'first')), 200);
    expect(saved.dryRun).toBe(false);
    expect(saved.webhook.metadata.annotations?.[testAnnotation]).toBe('first');
    const stored = await live();
    expect(stored.metadata.annotations?.[testAnnotation]).toBe('first');
    expect(stored.metadata.resourceVersion).toBe(saved.webhook.metadata.resourceVersion);
    expect(stored.metadata.resourceVersion).not.toBe(loaded.metadata.resourceVersion);
    expect(stored.spec).toEqual(loaded.spec);

    // A second editor still holds `loaded`: their save must not overwrite the first one.
    const stale = await put('admin', annotated(loaded, 'second'));
    const conflict = await jsonOf<ConflictBody<WebhookObject>>(stale, 409);
    expect(conflict.status).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(conflict.status.message).toContain('the object has been modified');
    expect(conflict.live.metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
    expect(conflict.live.metadata.annotations?.[testAnnotation]).toBe('first');
    expect((await live()).metadata.annotations?.[testAnnotation]).toBe('first');

    // Merged onto the live version, the same edit goes through.
    const merged = await jsonOf<WebhookWritten>(await put('admin', annotated(conflict.live, 'second')), 200);
    expect(merged.webhook.metadata.annotations?.[testAnnotation]).toBe('second');
  });

  test('invalid input is a 422 before the cluster sees it, each cause on its field', async () => {
    const before = await live();
    const response = await put(
      'admin',
      edited(before, {
        auditLevel: 'Verbose',
        alertingPriority: 'warning',
        receivers: [{ name: 'a', type: 'webhook', config: {} }],
        priority: 'INFO',
        k8sAuditingEnable: true,
      }),
    );
    const status = await jsonOf<Status>(response, 422);
    expect(status).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      details: { kind: 'Webhook', name: webhookName },
    });
    const fields = status.details?.causes?.map((cause) => cause.field).sort();
    expect(fields).toEqual([
      'spec.alertingPriority',
      'spec.auditLevel',
      'spec.k8sAuditingEnable',
      'spec.priority',
      'spec.receivers[0].config.url',
    ]);
    const misspelt = status.details?.causes?.find((cause) => cause.field === 'spec.k8sAuditingEnable');
    expect(misspelt?.message).toContain('k8sAuditingEnabled');
    expect((await live()).spec.auditLevel).not.toBe('Verbose');

    const noVersion = await put('admin', { metadata: { name: webhookName }, spec: before.spec });
    const missing = await jsonOf<Status>(noVersion, 422);
    expect(missing.details?.causes?.map((cause) => cause.field)).toEqual(['metadata.resourceVersion']);
  });

  test("the apiserver's own 422 (the CRD schema) comes back with its causes on their fields", async () => {
    const before = await live();
    // A quantity the shared schema lets through but the CRD's pattern refuses.
    const response = await put('admin', edited(before, { resources: { limits: { cpu: 'lots' } } }));
    const status = await jsonOf<Status>(response, 422);
    expect(status).toMatchObject({ kind: 'Status', reason: 'Invalid', details: { name: webhookName } });
    expect(status.details?.causes?.map((cause) => cause.field)).toContain('spec.resources.limits.cpu');
    expect(status.message).toContain('spec.resources.limits.cpu');
    expect((await live()).spec.resources).not.toEqual({ limits: { cpu: 'lots' } });
  });
});
