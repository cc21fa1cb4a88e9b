// The ks-apiserver stand-in on the real local cluster: what it sends, in KubeSphere's shape, and when it sends
// nothing, as KubeSphere's ks-apiserver decides (reference §6). Each test uses the fixture's own ConfigMap, Webhook
// and Deployment, so nothing here changes what other tests see.
import { normaliseBatch } from '@auditorium/audit-model';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type KsApiserverFixture, startKsApiserverFixture } from '../testing/ks-apiserver-fixture.ts';
import { kubectl, uniqueName } from '../testing/test-cluster.ts';

let fixture: KsApiserverFixture;

beforeAll(async () => {
  fixture = await startKsApiserverFixture('h2-ksapi');
}, 120_000);

afterAll(async () => {
  await fixture?.close();
});

const createConfigMap = (user: 'admin' | 'tenant' | 'viewer', name: string, dryRun?: string) =>
  fixture
    .through(user)
    .makeApiClient(CoreV1Api)
    .createNamespacedConfigMap({
      namespace: fixture.namespace,
      body: { metadata: { name }, data: { greeting: 'hello' } },
      ...(dryRun ? { dryRun } : {}),
    });

const named = (name: string) => (event: { ObjectRef: { Name: string } }) => event.ObjectRef.Name === name;

describe('the ks-apiserver stand-in', { timeout: 90_000 }, () => {
  test('audits a proxied request as a KubeSphere event, in {"Items":[…]} batches the receiver decodes', async () => {
    const name = uniqueName('cm');
    await createConfigMap('tenant', name);
    const event = await fixture.receiver.waitFor(named(name));

    expect(event).toEqual({
      Devops: '',
      Workspace: '',
      Cluster: '',
      Message: '',
      Level: 'Metadata',
      AuditID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      Stage: 'ResponseComplete',
      RequestURI: `/api/v1/namespaces/${fixture.namespace}/configmaps`,
      Verb: 'create',
      User: { username: 'tenant', uid: 'tenant', groups: ['system:authenticated'] },
      ImpersonatedUser: null,
      SourceIPs: ['127.0.0.1'],
      UserAgent: expect.any(String),
      ObjectRef: {
        Resource: 'configmaps',
        Namespace: fixture.namespace,
        Name: name,
        UID: '',
        APIGroup: '',
        APIVersion: 'v1',
        ResourceVersion: 'Namespace',
        Subresource: '',
      },
      ResponseStatus: { metadata: {}, code: 201 },
      RequestReceivedTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      StageTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      Annotations: null,
    });
    const delivery = fixture.receiver.deliveries.find((one) => one.items.includes(event));
    expect(delivery?.keys).toEqual(['Items']);
    const decoded = normaliseBatch({ Items: delivery?.items });
    expect(decoded.source).toBe('kubesphere');
    expect(decoded.events.find((one) => one.AuditID === event.AuditID)).toMatchObject({
      Verb: 'create',
      User: { username: 'tenant' },
    });
  });

  test('answers requests that fail authorization without auditing them; other failures are audited', async () => {
    const refused = uniqueName('refused');
    await expect(createConfigMap('viewer', refused)).rejects.toMatchObject({ code: 403 });
    const missing = uniqueName('missing');
    await expect(
      fixture
        .through('admin')
        .makeApiClient(CoreV1Api)
        .readNamespacedConfigMap({ name: missing, namespace: fixture.namespace }),
    ).rejects.toMatchObject({ code: 404 });

    const notFound = await fixture.receiver.waitFor(named(missing));
    expect(notFound).toMatchObject({ Verb: 'get', ResponseStatus: { code: 404 }, User: { username: 'admin' } });
    // The 403 was sent before the 404, so it would have been in the same batch or an earlier one.
    expect(fixture.receiver.events().filter(named(refused))).toEqual([]);
  });

  test('does not audit dry runs', async () => {
    const dryRun = uniqueName('dry');
    const created = await createConfigMap('admin', dryRun, 'All');
    expect(created.metadata?.name).toBe(dryRun);
    const marker = uniqueName('marker');
    await createConfigMap('admin', marker);
    await fixture.receiver.waitFor(named(marker));
    expect(fixture.receiver.events().filter(named(dryRun))).toEqual([]);
  });

  test('applies a change of the Webhook auditLevel to the next request, without a restart', async () => {
    const pid = fixture.standIn.state.pid;
    const offset = fixture.logLength();
    await fixture.patchWebhookSpec({ auditLevel: 'RequestResponse' });
    await fixture.waitForLog(/auditLevel RequestResponse/, offset);
    const name = uniqueName('full');
    await createConfigMap('admin', name);
    const full = await fixture.receiver.waitFor(named(name));
    expect(full.Level).toBe('RequestResponse');
    expect(full.RequestObject).toMatchObject({ metadata: { name }, data: { greeting: 'hello' } });
    expect(full.ResponseObject).toMatchObject({ kind: 'ConfigMap', metadata: { name, uid: expect.any(String) } });

    const offsetNone = fixture.logLength();
    await fixture.patchWebhookSpec({ auditLevel: 'None' });
    await fixture.waitForLog(/auditLevel None/, offsetNone);
    const unaudited = uniqueName('none');
    await createConfigMap('admin', unaudited);
    const offsetBack = fixture.logLength();
    await fixture.patchWebhookSpec({ auditLevel: 'Metadata' });
    await fixture.waitForLog(/auditLevel Metadata/, offsetBack);
    const marker = uniqueName('marker');
    await createConfigMap('admin', marker);
    const metadataOnly = await fixture.receiver.waitFor(named(marker));
    expect(metadataOnly.Level).toBe('Metadata');
    expect(metadataOnly).not.toHaveProperty('RequestObject');
    expect(fixture.receiver.events().filter(named(unaudited))).toEqual([]);
    expect(fixture.standIn.state.pid).toBe(pid);
  });

  test('with k8sAuditingEnabled it stops auditing Kubernetes requests but still audits KubeSphere ones', async () => {
    const offset = fixture.logLength();
    await fixture.patchWebhookSpec({ k8sAuditingEnabled: true });
    await fixture.waitForLog(/k8sAuditingEnabled true/, offset);
    try {
      const kubernetes = uniqueName('k8s');
      await createConfigMap('admin', kubernetes);
      // A KubeSphere request: the projects of the namespace's workspace.
      const listed = await kubectl(
        [
          '--server',
          fixture.standIn.url,
          'get',
          '--raw',
          `/kapis/tenant.kubesphere.io/v1alpha2/workspaces/${fixture.workspace}/namespaces`,
        ],
        { context: 'admin' },
      );
      expect(listed.stderr).toBe('');
      expect(JSON.parse(listed.stdout).items.map((ns: { metadata: { name: string } }) => ns.metadata.name)).toEqual([
        fixture.namespace,
      ]);
      const kapis = await fixture.receiver.waitFor(
        (event) => event.RequestURI.startsWith('/kapis/') && event.Workspace === fixture.workspace,
      );
      expect(kapis).toMatchObject({
        Verb: 'list',
        Workspace: fixture.workspace,
        ObjectRef: { Resource: 'namespaces', APIGroup: 'tenant.kubesphere.io', ResourceVersion: 'Workspace' },
        ResponseStatus: { code: 200 },
        User: { username: 'admin' },
      });
      expect(fixture.receiver.events().filter(named(kubernetes))).toEqual([]);
    } finally {
      await fixture.patchWebhookSpec({ k8sAuditingEnabled: false });
    }
  });

  test("creates and deletes a workspace's project through KubeSphere's tenant API, as the caller", async () => {
    const project = uniqueName('h2-project');
    const path = `/kapis/tenant.kubesphere.io/v1alpha2/workspaces/${fixture.workspace}/namespaces`;
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: project } });
    const asUser = (context: 'admin' | 'tenant', args: string[], input?: string) =>
      kubectl(['--server', fixture.standIn.url, ...args], { context, ...(input ? { input } : {}) });

    // tenant may not create namespaces: refused by kube-apiserver's RBAC, so not audited.
    const refused = await asUser('tenant', ['create', '--raw', path, '-f', '-'], body);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/forbidden/i);
    const created = await asUser('admin', ['create', '--raw', path, '-f', '-'], body);
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout).metadata.labels).toMatchObject({ 'kubesphere.io/workspace': fixture.workspace });
    try {
      const event = await fixture.receiver.waitFor((one) => one.Verb === 'create' && one.ObjectRef.Name === project);
      expect(event).toMatchObject({
        Workspace: fixture.workspace,
        User: { username: 'admin' },
        ObjectRef: { Resource: 'namespaces', APIGroup: 'tenant.kubesphere.io', ResourceVersion: 'Workspace' },
        ResponseStatus: { code: 201 },
      });
      expect(
        fixture.receiver.events().filter((one) => one.ObjectRef.Name === project && one.User.username === 'tenant'),
      ).toEqual([]);
    } finally {
      const deleted = await asUser('admin', ['delete', '--raw', `${path}/${project}`]);
      expect(deleted.stderr).toBe('');
    }
    const deletion = await fixture.receiver.waitFor((one) => one.Verb === 'delete' && one.ObjectRef.Name === project);
    expect(deletion.ResponseStatus.code).toBe(200);
  });

  test('reads auditing.enable only when it starts: false applies after `kubectl rollout restart`', async () => {
    await fixture.setAuditingEnable(false);
    const beforeRestart = uniqueName('before');
    await createConfigMap('admin', beforeRestart);
    // Still auditing: the running ks-apiserver read `enable: true` when it started.
    await fixture.receiver.waitFor(named(beforeRestart));

    const restart = async () => {
      const { pid, restarts } = fixture.standIn.state;
      const rollout = await kubectl(['rollout', 'restart', 'deployment/ks-apiserver', '-n', fixture.namespace], {
        context: 'admin',
      });
      expect(rollout.stderr).toBe('');
      await expect
        .poll(() => fixture.standIn.state, { timeout: 30_000, interval: 100 })
        .toMatchObject({ phase: 'ready', restarts: restarts + 1 });
      expect(fixture.standIn.state.pid).not.toBe(pid);
    };
    await restart();
    const afterRestart = uniqueName('after');
    await createConfigMap('admin', afterRestart);

    // Turn it on again: the next restart audits once more, which shows the request above was not just slow.
    await fixture.setAuditingEnable(true);
    await restart();
    const enabledAgain = uniqueName('again');
    await createConfigMap('admin', enabledAgain);
    await fixture.receiver.waitFor(named(enabledAgain));
    expect(fixture.receiver.events().filter(named(afterRestart))).toEqual([]);
  });

  test('stops when its Deployment is scaled to 0 and starts again when it is scaled up', async () => {
    const scale = (replicas: number) =>
      kubectl(['scale', 'deployment/ks-apiserver', '-n', fixture.namespace, `--replicas=${replicas}`], {
        context: 'admin',
      });
    const { pid } = fixture.standIn.state;
    expect((await scale(0)).status).toBe(0);
    await expect.poll(() => fixture.standIn.state.phase, { timeout: 20_000, interval: 100 }).toBe('stopped');
    await expect(createConfigMap('admin', uniqueName('down'))).rejects.toMatchObject({
      cause: { code: 'ECONNREFUSED' },
    });
    expect((await scale(1)).status).toBe(0);
    await expect.poll(() => fixture.standIn.state.phase, { timeout: 30_000, interval: 100 }).toBe('ready');
    expect(fixture.standIn.state.pid).not.toBe(pid);
    const name = uniqueName('up');
    await createConfigMap('admin', name);
    await fixture.receiver.waitFor(named(name));
  });

  test('audits an exec into a kwok pod, which has no shell to run', async () => {
    const pods = await fixture
      .through('admin')
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: fixture.namespace, labelSelector: 'app=ks-apiserver' });
    const pod = pods.items[0]?.metadata?.name;
    expect(pod).toBeDefined();
    const exec = await kubectl(
      ['--server', fixture.standIn.url, 'exec', '-n', fixture.namespace, String(pod), '--', 'date'],
      {
        context: 'admin',
      },
    );
    expect(exec.status).not.toBe(0);
    const event = await fixture.receiver.waitFor(
      (one) => one.ObjectRef.Subresource === 'exec' && one.ObjectRef.Name === pod,
    );
    expect(event).toMatchObject({
      ObjectRef: { Resource: 'pods', Namespace: fixture.namespace },
      User: { username: 'admin' },
    });
  });
});
