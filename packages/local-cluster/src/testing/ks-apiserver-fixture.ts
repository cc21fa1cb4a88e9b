// A ks-apiserver stand-in of a test's own, on the shared test cluster: the same process manager the supervisor uses,
// but reading its own kubesphere.yaml ConfigMap, Webhook CR and ks-apiserver Deployment in the test's namespace, and
// sending to an HTTPS receiver of the test's own (serving the cluster's receiver certificate, so the stand-in trusts
// it as it trusts the real one). Tests can then change those objects without touching what other tests see.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  auditingGroup,
  auditingVersion,
  kubesphereConfig,
  receiverPath,
  setAuditingEnable,
  webhookPlural,
  workspaceLabel,
} from '@auditorium/audit-model';
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { clientConfig } from '../kubeconfig.ts';
import { KsApiserverProcess } from '../kubesphere/ks-apiserver-process.ts';
import type { KubeSphereEvent } from '../kubesphere/kubesphere-event.ts';
import { clusterLayout } from '../layout.ts';
import { freePort } from '../ports.ts';
import { FIELD_MANAGER, loadSeedObjects } from '../seed.ts';
import type { Tokens } from '../users.ts';
import { clusterInfo, createTestNamespace, kubeConfigAs, uniqueName } from './test-cluster.ts';

export interface KubeSphereDelivery {
  /** The body's top-level keys, as sent. */
  keys: string[];
  items: KubeSphereEvent[];
}

export interface KubeSphereReceiver {
  url: string;
  deliveries: KubeSphereDelivery[];
  events(): KubeSphereEvent[];
  /** Resolves with the first event `match` accepts, or throws after `timeoutMs`. */
  waitFor(match: (event: KubeSphereEvent) => boolean, timeoutMs?: number): Promise<KubeSphereEvent>;
  close(): Promise<void>;
}

export async function startKubeSphereReceiver(certFile: string, keyFile: string): Promise<KubeSphereReceiver> {
  const deliveries: KubeSphereDelivery[] = [];
  const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && new URL(req.url ?? '/', 'https://receiver').pathname === receiverPath) {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
        deliveries.push({ keys: Object.keys(body), items: (body.Items ?? []) as KubeSphereEvent[] });
      }
      res.writeHead(200).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const events = () => deliveries.flatMap((delivery) => delivery.items);
  return {
    url: `https://127.0.0.1:${port}${receiverPath}`,
    deliveries,
    events,
    async waitFor(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events().find(match);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no matching event within ${timeoutMs / 1000}s; got ${events().length} events`);
        }
        await sleep(100);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface KsApiserverFixture {
  namespace: string;
  workspace: string;
  webhookName: string;
  receiver: KubeSphereReceiver;
  standIn: KsApiserverProcess;
  caPem: string;
  tokens: Tokens;
  /** client-node as `user`, through the stand-in. */
  through(user: 'admin' | 'tenant' | 'viewer'): KubeConfig;
  patchWebhookSpec(spec: Record<string, unknown>): Promise<void>;
  setAuditingEnable(enable: boolean): Promise<void>;
  /** Resolves once the stand-in's log has a line matching `pattern` after `fromOffset` characters. */
  waitForLog(pattern: RegExp, fromOffset: number, timeoutMs?: number): Promise<void>;
  logLength(): number;
  close(): Promise<void>;
}

const KUBESPHERE_YAML = (webhookUrl: string) => `# a test's own kubesphere.yaml
authentication:
  jwtSecret: "test"
auditing:
  enable: true
  webhookURL: ${webhookUrl}
  # Short, so tests wait less for a batch than KubeSphere's 3 s default.
  eventBatchInterval: 200ms
  host: http://elasticsearch-logging-data.kubesphere-logging-system.svc:9200
`;

export async function startKsApiserverFixture(prefix: string): Promise<KsApiserverFixture> {
  const info = clusterInfo();
  if (!info.dataDir || !info.receiverTls) throw new Error('the stand-in tests need the local cluster');
  const layout = clusterLayout(info.dataDir);
  const caPem = readFileSync(layout.caCert, 'utf8');
  const tokens = JSON.parse(readFileSync(layout.tokensJson, 'utf8')) as Tokens;
  const admin = kubeConfigAs('admin');
  const core = admin.makeApiClient(CoreV1Api);
  const customObjects = admin.makeApiClient(CustomObjectsApi);
  const objects = KubernetesObjectApi.makeApiClient(admin);

  const namespace = await createTestNamespace(prefix);
  const workspace = uniqueName(`${prefix}-ws`);
  await core.patchNamespace(
    { name: namespace.name, body: { metadata: { labels: { [workspaceLabel]: workspace } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  // tenant may work here as in `demo` (seed/rbac.yaml gives it the built-in admin role there).
  await admin.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
    namespace: namespace.name,
    body: {
      metadata: { name: 'tenant-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'tenant' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    },
  });
  const receiver = await startKubeSphereReceiver(info.receiverTls.certFile, info.receiverTls.keyFile);
  await core.createNamespacedConfigMap({
    namespace: namespace.name,
    body: {
      metadata: { name: kubesphereConfig.name },
      data: { [kubesphereConfig.key]: KUBESPHERE_YAML(receiver.url) },
    },
  });
  // The seeded ks-apiserver Deployment, in the test's namespace.
  for (const deployment of loadSeedObjects('ks-apiserver.yaml')) {
    await objects.patch(
      { ...deployment, metadata: { ...deployment.metadata, namespace: namespace.name } },
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
  }
  const webhookName = uniqueName(prefix);
  await customObjects.createClusterCustomObject({
    group: auditingGroup,
    version: auditingVersion,
    plural: webhookPlural,
    body: {
      apiVersion: `${auditingGroup}/${auditingVersion}`,
      kind: 'Webhook',
      metadata: { name: webhookName },
      spec: { auditLevel: 'Metadata', k8sAuditingEnabled: false, replicas: 0 },
    },
  });

  const standIn = new KsApiserverProcess({
    layout,
    server: info.server,
    caPem,
    bootstrap: clientConfig(info.server, caPem, tokens.bootstrap),
    instance: `ks-apiserver-${webhookName}`,
    deployment: { namespace: namespace.name, name: 'ks-apiserver' },
    kubesphereConfig: `${namespace.name}/${kubesphereConfig.name}`,
    webhookName,
  });
  await standIn.start();
  const log = () => readFileSync(standIn.logFile, 'utf8');

  return {
    namespace: namespace.name,
    workspace,
    webhookName,
    receiver,
    standIn,
    caPem,
    tokens,
    through: (user) => clientConfig(standIn.url, caPem, tokens[user]),
    async patchWebhookSpec(spec) {
      await customObjects.patchClusterCustomObject(
        { group: auditingGroup, version: auditingVersion, plural: webhookPlural, name: webhookName, body: { spec } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    },
    async setAuditingEnable(enable) {
      const configMap = await core.readNamespacedConfigMap({ name: kubesphereConfig.name, namespace: namespace.name });
      const text = configMap.data?.[kubesphereConfig.key] ?? '';
      await core.replaceNamespacedConfigMap({
        name: kubesphereConfig.name,
        namespace: namespace.name,
        body: { ...configMap, data: { ...configMap.data, [kubesphereConfig.key]: setAuditingEnable(text, enable) } },
      });
    },
    logLength: () => log().length,
    async waitForLog(pattern, fromOffset, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(log().slice(fromOffset))) {
        if (Date.now() > deadline) throw new Error(`the stand-in logged nothing matching ${pattern} in time`);
        await sleep(50);
      }
    },
    async close() {
      await standIn.stop();
      await receiver.close();
      await customObjects
        .deleteClusterCustomObject({
          group: auditingGroup,
          version: auditingVersion,
          plural: webhookPlural,
          name: webhookName,
        })
        .catch(() => {});
      await namespace.remove();
    },
  };
}
