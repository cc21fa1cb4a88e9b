import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@auditorium/archive';
import {
  auditingApiVersion,
  auditingGroup,
  auditingVersion,
  normaliseBatch,
  rulePlural,
} from '@auditorium/audit-model';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import { clusterConfigSource } from '../receiver/cluster-config-watch.ts';
import { buildReceiverConfig, type ConfigSource } from '../receiver/config-source.ts';
import { kubesphereEvent, shippedConfig } from '../receiver/testing/audit-batches.ts';
import { testKubeConfig, uniqueName } from '../receiver/testing/local-cluster.ts';
import { type RulesView, rulesHealth, ruleViews } from './rules.ts';
import type { RuleObject } from './rules-cluster.ts';
import type { PlaygroundResponse } from './rules-playground.ts';

/**
 * The Rules API against the real local cluster (admin, tenant and viewer with the seed's RBAC) and a real
 * SQLite archive: the shipped Rule CRs with their load status, a broken CR reported item by item, and the
 * playground on the archive scoped to what each user may see.
 */
type User = 'admin' | 'tenant' | 'viewer';

describe('rules API on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;
  let dir: string;
  let store: SqliteEventStore;
  let config: ConfigSource;
  let app: ReturnType<typeof createApp>;
  let computedApp: ReturnType<typeof createApp>;
  const namespace = uniqueName('rules-test');
  /** A resource name no other test uses, so the playground's matches are this file's events. */
  const resource = uniqueName('gadgets');
  const token = (user: User) => {
    const found = kubeConfig.users.find((entry) => entry.name === user)?.token;
    if (!found) throw new Error(`the test kubeconfig has no token for ${user}`);
    return found;
  };

  const call = (target: ReturnType<typeof createApp>, user: User, path: string, body?: unknown) =>
    target.request(`/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${token(user)}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const playground = async (user: User, body: unknown) => {
    const response = await call(app, user, '/rules/test', body);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as PlaygroundResponse;
  };

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
    core = kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'auditorium.test': 'true' } } } });

    dir = mkdtempSync(join(tmpdir(), 'auditorium-rules-'));
    store = await SqliteEventStore.open(join(dir, 'archive.sqlite'));
    // Events of now (a namespace hides the events from before its creation), in the tenant's `demo` and
    // in this test's own namespace, which the tenant may not see.
    const now = new Date().toISOString();
    const event = (verb: string, where: string) => ({
      ...kubesphereEvent({ verb, resource, namespace: where, name: `${verb}-${where}` }),
      Workspace: '',
      RequestReceivedTimestamp: now,
      StageTimestamp: now,
    });
    const { events } = normaliseBatch({
      Items: [event('delete', 'demo'), event('delete', namespace), event('create', namespace), event('get', 'demo')],
    });
    await store.append(events.map((archived) => ({ event: archived, matchedRules: [], alerted: false })));

    config = clusterConfigSource(kubeConfig);
    await config.whenReady();
    const cluster = clusterAccess('local', kubeConfig);
    const common = { version: '0.0.0', consoleDir: dir, probes: {}, cluster, eventStore: store };
    app = createApp({ ...common, ruleStatus: () => config.current()?.status });
    computedApp = createApp(common);
  });

  afterAll(async () => {
    await config?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await core?.deleteNamespace({ name: namespace }).catch(() => {});
  });

  test('lists the shipped Rule CRs with each item and its load state from the receiver', async () => {
    const response = await call(app, 'admin', '/rules');
    expect(response.status).toBe(200);
    const view = (await response.json()) as RulesView;
    expect(view.load.origin).toBe('receiver');
    const archiving = view.rules.find((rule) => rule.name === 'archiving-rule');
    expect(archiving?.namespace).toBe('kubesphere-logging-system');
    expect(archiving?.labels.type).toBe('archiving');
    expect(archiving?.items.find((item) => item.name === 'archiving')).toMatchObject({
      type: 'rule',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a KubeSphere rule reference, not a template
      condition: 'Verb not in ${ignore-action}',
      load: { state: 'active', archiving: true },
    });
    const alerting = view.rules.find((rule) => rule.name === 'alerting-rule');
    expect(alerting?.items.find((item) => item.name === 'AttachOrExecPod')?.load).toMatchObject({
      state: 'active',
      alerting: true,
    });
    // A macro has no load state of its own unless it is broken.
    const macro = alerting?.items.find((item) => item.name === 'pod');
    expect(macro?.type).toBe('macro');
    expect(macro?.load).toBeUndefined();
  });

  test('a broken Rule CR shows which item failed and why, for the receiver and for a viewer without one', async () => {
    const name = uniqueName('broken-rule');
    await custom.createNamespacedCustomObject({
      group: auditingGroup,
      version: auditingVersion,
      plural: rulePlural,
      namespace,
      body: {
        apiVersion: auditingApiVersion,
        kind: 'Rule',
        metadata: { name, namespace, labels: { type: 'alerting' } },
        spec: {
          rules: [
            { name: 'unclosed', type: 'rule', condition: 'Verb = "delete" and (', enable: true, priority: 'WARNING' },
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a KubeSphere rule reference, not a template
            { name: 'dangling', type: 'rule', condition: 'Verb in ${no-such-list}', enable: true, priority: 'INFO' },
            { name: 'fine', type: 'rule', condition: 'Verb = "delete"', enable: false, priority: 'INFO' },
          ],
        },
      },
    });
    try {
      const itemsOf = async (target: ReturnType<typeof createApp>, user: User) => {
        const response = await call(target, user, '/rules');
        expect(response.status).toBe(200);
        const view = (await response.json()) as RulesView;
        return view.rules.find((rule) => rule.name === name)?.items;
      };
      // The receiver's watch reloads within a second; until then the CR is listed as not loaded yet.
      await expect
        .poll(async () => (await itemsOf(app, 'admin'))?.map((item) => item.load?.state), { timeout: 5000 })
        .toEqual(['error', 'error', 'disabled']);
      const items = (await itemsOf(app, 'admin'))!;
      expect(items[0]?.load?.state).toBe('error');
      expect(items[0]?.load?.messages.join(' ')).toMatch(/syntax error/);
      expect(items[1]?.load?.state).toBe('error');
      expect(items[1]?.load?.messages.join(' ')).toContain('no-such-list');
      expect(items[2]?.load?.state).toBe('disabled');

      // Without a receiver in the process, the viewer's own reads are loaded the same way.
      const computed = await call(computedApp, 'viewer', '/rules');
      expect(((await computed.json()) as RulesView).load.origin).toBe('computed');
      const viewerItems = (await itemsOf(computedApp, 'viewer'))!;
      expect(viewerItems.map((item) => item.load?.state)).toEqual(['error', 'error', 'disabled']);
    } finally {
      await custom.deleteNamespacedCustomObject({
        group: auditingGroup,
        version: auditingVersion,
        plural: rulePlural,
        namespace,
        name,
      });
    }
  });

  test('a user who may list Rule CRs only in their project sees that project’s Rules, and says so', async () => {
    const name = uniqueName('demo-rule');
    const target = { group: auditingGroup, version: auditingVersion, plural: rulePlural, namespace: 'demo' };
    await custom.createNamespacedCustomObject({
      ...target,
      body: {
        apiVersion: auditingApiVersion,
        kind: 'Rule',
        metadata: { name, namespace: 'demo', labels: { type: 'archiving' } },
        spec: { rules: [{ name: 'demo-deletes', type: 'rule', condition: 'Verb = "delete"', enable: true }] },
      },
    });
    try {
      const response = await call(app, 'tenant', '/rules');
      expect(response.status, await response.clone().text()).toBe(200);
      const view = (await response.json()) as RulesView;
      expect(view.rules.map((rule) => `${rule.namespace}/${rule.name}`)).toEqual([`demo/${name}`]);
      expect(view.load.note).toContain('you may list Rule CRs only in demo');
      // The receiver loaded it, and says what it lacks: no priority means below every threshold.
      await expect
        .poll(async () => {
          const again = (await (await call(app, 'tenant', '/rules')).json()) as RulesView;
          return again.rules[0]?.items[0]?.load?.messages.join(' ');
        })
        .toMatch(/priority is missing/);
    } finally {
      await custom.deleteNamespacedCustomObject({ ...target, name });
    }
  });

  test('a condition is evaluated against the latest archived events the user may see', async () => {
    const condition = `ObjectRef.Resource = "${resource}" and Verb = "delete"`;
    const admin = await playground('admin', { condition });
    expect(admin.mode).toBe('condition');
    expect(admin.syntaxErrors).toEqual([]);
    expect(admin.events).toEqual({ origin: 'archive', count: 4 });
    expect(admin.matchedCount).toBe(2);
    const matchedNamespaces = admin.results
      .filter((result) => result.matched)
      .map((result) => result.event.ObjectRef?.Namespace);
    expect(matchedNamespaces.sort()).toEqual(['demo', namespace].sort());

    // The tenant sees only `demo`: two of the four events, one of which matches.
    const tenant = await playground('tenant', { condition });
    expect(tenant.events.count).toBe(2);
    expect(tenant.results.every((result) => result.event.ObjectRef?.Namespace === 'demo')).toBe(true);
    expect(tenant.matchedCount).toBe(1);

    // The sample can be narrowed with the search filters.
    const narrowed = await playground('admin', { condition, sample: { size: 10, filter: { namespace: 'demo' } } });
    expect(narrowed.events.count).toBe(2);
    expect(narrowed.matchedCount).toBe(1);
  });

  test('a syntax error comes back with its line and column, and nothing matches', async () => {
    const result = await playground('admin', { condition: 'Verb = "delete" and\n  ObjectRef.Resource =' });
    expect(result.matchedCount).toBe(0);
    expect(result.syntaxErrors).toHaveLength(1);
    expect(result.syntaxErrors[0]?.position).toMatchObject({ line: 2 });
    expect(result.syntaxErrors[0]?.position?.column).toBeGreaterThan(1);
  });

  test("a whole Rule resolves references to the cluster's Rule CRs and says what the receiver would do", async () => {
    const rule = {
      metadata: { name: 'playground-test', namespace, labels: { type: 'alerting' } },
      spec: {
        rules: [
          {
            name: 'gadget-deletes',
            type: 'rule',
            condition: `ObjectRef.Resource = "${resource}" and Verb in \${alerting-rule.action}`,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: KubeSphere output placeholders
            output: '${alerting-rule.user} did ${Verb} on ${ObjectRef.Name}',
            enable: true,
            priority: 'WARNING',
          },
        ],
      },
    };
    const result = await playground('admin', { rule });
    expect(result.mode).toBe('rule');
    expect(result.syntaxErrors).toEqual([]);
    expect(result.loadErrors).toEqual([]);
    expect(result.rules).toEqual([
      expect.objectContaining({ name: 'gadget-deletes', enabled: true, alerting: true, archiving: true }),
    ]);
    // create and the two deletes are in alerting-rule's `action` list; the get is not.
    expect(result.matchedCount).toBe(3);
    const deleteInDemo = result.results.find((entry) => entry.event.ObjectRef?.Name === 'delete-demo');
    expect(deleteInDemo).toMatchObject({ matched: true, alert: true, archive: true });
    expect(deleteInDemo?.matches[0]?.message).toBe('admin did delete on delete-demo');
  });

  test('events given in the request are tested instead of the archive', async () => {
    const result = await playground('viewer', {
      condition: 'Verb = "patch"',
      events: [kubesphereEvent({ verb: 'patch', namespace: 'demo' }), kubesphereEvent({ verb: 'get' })],
    });
    expect(result.events).toEqual({ origin: 'request', count: 2 });
    expect(result.results.map((entry) => entry.matched)).toEqual([true, false]);
  });

  test('bad requests are a 422 naming the field, and a missing sign-in a 401', async () => {
    const both = await call(app, 'admin', '/rules/test', { condition: 'Verb = "get"', rule: { spec: { rules: [] } } });
    expect(both.status).toBe(422);
    expect(((await both.json()) as { details: { causes: Array<{ field: string }> } }).details.causes[0]?.field).toBe(
      'rule',
    );

    const badEvent = await call(app, 'admin', '/rules/test', {
      condition: 'Verb = "get"',
      events: [{ ...kubesphereEvent(), Stage: 'Sometime' }],
    });
    expect(badEvent.status).toBe(422);
    const status = (await badEvent.json()) as { details: { causes: Array<{ field: string; message: string }> } };
    expect(status.details.causes[0]?.field).toMatch(/^events\[0\]\.Stage$/i);

    const anonymous = await app.request('/api/rules/test', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ condition: 'Verb = "get"' }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('the rules component of /api/healthz', () => {
  test('is ok with the shipped Rules and degraded, naming the item, when one fails to load', () => {
    const shipped = shippedConfig();
    expect(rulesHealth(buildReceiverConfig(shipped).status)).toMatchObject({ state: 'ok', detail: { failed: 0 } });

    const broken = {
      metadata: { name: 'broken', namespace: 'demo', labels: { type: 'alerting' } },
      spec: { rules: [{ name: 'unclosed', type: 'rule', condition: 'Verb = (', enable: true, priority: 'WARNING' }] },
    };
    const health = rulesHealth(buildReceiverConfig({ ...shipped, ruleCRs: [...shipped.ruleCRs, broken] }).status);
    expect(health.state).toBe('degraded');
    expect(health.reason).toMatch(/^1 rule item failed to load \(first: demo\/broken unclosed: syntax error/);
    expect(rulesHealth(undefined).state).toBe('starting');
  });
});

describe('the rule views', () => {
  test('an item that reads RequestObject says it never fires at auditLevel Metadata, and not at Request', () => {
    const shipped = shippedConfig();
    const status = buildReceiverConfig(shipped).status;
    const objects = shipped.ruleCRs as RuleObject[];
    const itemsAt = (auditLevel: string) =>
      ruleViews(objects, status, { ...(shipped.webhookSpec as object), auditLevel }).find(
        (rule) => rule.name === 'alerting-rule',
      )?.items;
    const atMetadata = itemsAt('Metadata');
    expect(atMetadata?.find((item) => item.name === 'CreateHostnetworkPod')?.checks?.[0]).toMatch(
      /reads RequestObject, but auditLevel is Metadata/,
    );
    expect(atMetadata?.find((item) => item.name === 'AttachOrExecPod')?.checks).toBeUndefined();
    expect(itemsAt('Request')?.find((item) => item.name === 'CreateHostnetworkPod')?.checks).toBeUndefined();
  });
});
