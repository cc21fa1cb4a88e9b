// Demo traffic for `npm start` (DEMO_RATE requests per second, default 2, 0 = off): the cluster's three users at
// work, so every console page has live content. admin and tenant create, patch and delete ConfigMaps, Secrets and
// Services and scale a Deployment; admin execs into its pods (kwok pods have no shell, but the exec request is made
// and audited all the same); viewer reads and is refused when it tries to write; everybody sometimes asks for
// something missing or conflicting. About half of the requests go through the ks-apiserver stand-in (KubeSphere
// events) and the rest straight to kube-apiserver (Kubernetes events). Everything it creates is named demo-… and
// kept to a few objects per kind; stop() deletes them again.
import { randomBytes } from 'node:crypto';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { workspaceLabel } from '@auditorium/audit-model';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { UserName } from './users.ts';

export interface DemoTrafficOptions {
  /** The cluster's kubeconfig, with contexts admin, tenant and viewer. */
  kubeconfigPath: string;
  /** The ks-apiserver stand-in; without it everything goes straight to kube-apiserver. */
  ksApiserverUrl?: string;
  /** Requests per second (fractions allowed). */
  ratePerSecond: number;
  /** Where tenant works (it may write only there) and where admin works besides. */
  namespaces?: { tenant: string; admin: string[] };
  log?: (line: string) => void;
}

export interface DemoTrafficStats {
  requests: number;
  /** Requests per user and HTTP status. */
  byUser: Record<UserName, Record<string, number>>;
  throughKsApiserver: number;
}

export interface DemoTraffic {
  stats(): DemoTrafficStats;
  stop(): Promise<void>;
}

const DEPLOYMENT = 'demo-web';
const MAX_OBJECTS_PER_KIND = 6;
const MAX_IN_FLIGHT = 4;
const FIELD_MANAGER = 'auditorium-demo-traffic';

type Kind = 'configmaps' | 'secrets' | 'services';

interface Client {
  user: UserName;
  viaKsApiserver: boolean;
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
}

function shortId(): string {
  return randomBytes(3).toString('hex');
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/** The HTTP status of a client-node call: 2xx on success, the ApiException's code on failure. */
async function statusOf(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
    return 200;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    throw error;
  }
}

/** A raw request through client-node's TLS and token settings (for exec upgrades and KubeSphere's /kapis). */
async function rawRequest(
  kubeConfig: KubeConfig,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<number> {
  const server = kubeConfig.getCurrentCluster()?.server ?? '';
  const httpsOptions: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(httpsOptions);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, server), {
      ...httpsOptions,
      method,
      timeout: 10_000,
      headers: { ...(httpsOptions.headers as Record<string, string>), ...options.headers },
    });
    req.on('upgrade', (res, socket) => {
      // The exec stream opened; there is nothing to run in a kwok pod, so close it at once.
      socket.destroy();
      resolve(res.statusCode ?? 101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 10s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export function startDemoTraffic(options: DemoTrafficOptions): DemoTraffic {
  const log = options.log ?? (() => {});
  const tenantNamespace = options.namespaces?.tenant ?? 'demo';
  const adminNamespaces = options.namespaces?.admin ?? ['demo', 'default'];
  const clients = new Map<string, Client>();
  let standInUsable = true;
  let stopped = false;
  const clientFor = (user: UserName, viaKsApiserver: boolean): Client => {
    const useStandIn = viaKsApiserver && standInUsable && options.ksApiserverUrl !== undefined;
    const key = `${user}/${useStandIn}`;
    let client = clients.get(key);
    if (!client) {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(options.kubeconfigPath);
      kubeConfig.setCurrentContext(user);
      if (useStandIn && options.ksApiserverUrl) {
        const cluster = kubeConfig.getCurrentCluster();
        kubeConfig.loadFromOptions({
          clusters: kubeConfig.clusters.map((entry) =>
            entry.name === cluster?.name ? { ...entry, server: options.ksApiserverUrl as string } : entry,
          ),
          users: kubeConfig.users,
          contexts: kubeConfig.contexts,
          currentContext: user,
        });
      }
      client = {
        user,
        viaKsApiserver: useStandIn,
        kubeConfig,
        core: kubeConfig.makeApiClient(CoreV1Api),
        apps: kubeConfig.makeApiClient(AppsV1Api),
      };
      clients.set(key, client);
    }
    return client;
  };
  const anyPath = (user: UserName) => clientFor(user, Math.random() < 0.5);

  /** What this run created, oldest first, per kind: namespace and name. */
  const created: Record<Kind, { namespace: string; name: string }[]> = { configmaps: [], secrets: [], services: [] };
  const stats: DemoTrafficStats = {
    requests: 0,
    byUser: { admin: {}, tenant: {}, viewer: {} },
    throughKsApiserver: 0,
  };
  const record = (client: Client, code: number) => {
    stats.requests += 1;
    if (client.viaKsApiserver) stats.throughKsApiserver += 1;
    const byCode = stats.byUser[client.user];
    byCode[code] = (byCode[code] ?? 0) + 1;
  };
  const run = async (client: Client, call: () => Promise<unknown>) => record(client, await statusOf(call));

  const writer = (): { client: Client; namespace: string } =>
    Math.random() < 0.5
      ? { client: anyPath('tenant'), namespace: tenantNamespace }
      : { client: anyPath('admin'), namespace: pick(adminNamespaces) };

  async function createObject(kind: Kind): Promise<void> {
    const { client, namespace } = writer();
    const name = `demo-${kind.slice(0, -1)}-${shortId()}`;
    const metadata = { name, namespace, labels: { 'app.kubernetes.io/part-of': 'auditorium-demo' } };
    await run(client, async () => {
      if (kind === 'configmaps') {
        await client.core.createNamespacedConfigMap({
          namespace,
          body: { metadata, data: { 'app.properties': `greeting=hello\nbuild=${shortId()}\n` } },
        });
      } else if (kind === 'secrets') {
        await client.core.createNamespacedSecret({
          namespace,
          body: { metadata, type: 'Opaque', stringData: { password: randomBytes(9).toString('base64url') } },
        });
      } else {
        await client.core.createNamespacedService({
          namespace,
          body: { metadata, spec: { selector: { app: DEPLOYMENT }, ports: [{ port: 80, targetPort: 8080 }] } },
        });
      }
      created[kind].push({ namespace, name });
    });
  }

  /** Deletes as someone allowed to: tenant in its namespace, else admin. */
  async function deleteObject(kind: Kind, object: { namespace: string; name: string }): Promise<void> {
    const client = anyPath(object.namespace === tenantNamespace && Math.random() < 0.5 ? 'tenant' : 'admin');
    const target = { name: object.name, namespace: object.namespace };
    await run(client, () =>
      kind === 'configmaps'
        ? client.core.deleteNamespacedConfigMap(target)
        : kind === 'secrets'
          ? client.core.deleteNamespacedSecret(target)
          : client.core.deleteNamespacedService(target),
    );
  }

  async function patchConfigMap(): Promise<void> {
    const object = pick(created.configmaps);
    if (!object) return createObject('configmaps');
    const client = anyPath(object.namespace === tenantNamespace && Math.random() < 0.5 ? 'tenant' : 'admin');
    await run(client, () =>
      client.core.patchNamespacedConfigMap(
        { name: object.name, namespace: object.namespace, body: { data: { build: shortId() } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  async function churn(kind: Kind): Promise<void> {
    const pool = created[kind];
    if (pool.length >= MAX_OBJECTS_PER_KIND || (pool.length > 0 && Math.random() < 0.4)) {
      const object = pool.shift();
      if (object) await deleteObject(kind, object);
      return;
    }
    await createObject(kind);
  }

  async function scaleDeployment(): Promise<void> {
    const client = anyPath(Math.random() < 0.5 ? 'tenant' : 'admin');
    await run(client, () =>
      client.apps.patchNamespacedDeploymentScale(
        {
          name: DEPLOYMENT,
          namespace: tenantNamespace,
          body: { spec: { replicas: 1 + Math.floor(Math.random() * 3) } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  async function execIntoPod(): Promise<void> {
    const client = anyPath('admin');
    const pods = await client.core.listNamespacedPod({
      namespace: tenantNamespace,
      labelSelector: `app=${DEPLOYMENT}`,
    });
    record(client, 200);
    const pod = pick(pods.items.filter((item) => item.status?.phase === 'Running'));
    if (!pod?.metadata?.name) return;
    const query = 'command=sh&command=-c&command=date&stdout=true&stderr=true';
    const code = await rawRequest(
      client.kubeConfig,
      'POST',
      `/api/v1/namespaces/${tenantNamespace}/pods/${pod.metadata.name}/exec?${query}`,
      {
        headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' },
      },
    );
    record(client, code);
  }

  async function viewerWork(): Promise<void> {
    const client = anyPath('viewer');
    const namespace = pick([tenantNamespace, ...adminNamespaces]);
    const choice = Math.random();
    if (choice < 0.4) {
      await run(client, () => client.core.listNamespacedPod({ namespace }));
    } else if (choice < 0.6) {
      await run(client, () => client.core.listNamespacedConfigMap({ namespace }));
    } else if (choice < 0.8) {
      // Forbidden: `view` leaves Secrets out.
      await run(client, () => client.core.listNamespacedSecret({ namespace }));
    } else {
      // Forbidden: viewer may not write.
      const object = pick(created.configmaps);
      await run(client, () =>
        client.core.deleteNamespacedConfigMap({ name: object?.name ?? 'demo-settings', namespace }),
      );
    }
  }

  async function failingRequest(): Promise<void> {
    const choice = Math.random();
    if (choice < 0.3) {
      // 404: a ConfigMap that does not exist.
      const client = anyPath('tenant');
      await run(client, () =>
        client.core.readNamespacedConfigMap({ name: `missing-${shortId()}`, namespace: tenantNamespace }),
      );
    } else if (choice < 0.55) {
      // 403: tenant outside its namespace.
      const client = anyPath('tenant');
      await run(client, () =>
        client.core.createNamespacedConfigMap({
          namespace: 'kube-system',
          body: { metadata: { name: `demo-configmap-${shortId()}` }, data: { try: 'me' } },
        }),
      );
    } else if (choice < 0.8) {
      // 409: creating what exists.
      const object = pick(created.configmaps);
      const client = anyPath('admin');
      await run(client, () =>
        client.core.createNamespacedConfigMap({
          namespace: object?.namespace ?? tenantNamespace,
          body: { metadata: { name: object?.name ?? 'kube-root-ca.crt' } },
        }),
      );
    } else {
      // 422: a Service with an invalid port.
      const client = anyPath('tenant');
      await run(client, () =>
        client.core.createNamespacedService({
          namespace: tenantNamespace,
          body: { metadata: { name: `demo-service-${shortId()}` }, spec: { ports: [{ port: 0 }] } },
        }),
      );
    }
  }

  async function listWorkspaceProjects(): Promise<void> {
    if (!options.ksApiserverUrl) return viewerWork();
    const client = clientFor('admin', true);
    const core = clientFor('admin', false).core;
    const namespace = await core.readNamespace({ name: tenantNamespace });
    const workspace = namespace.metadata?.labels?.[workspaceLabel];
    if (!workspace) return viewerWork();
    record(
      client,
      await rawRequest(
        client.kubeConfig,
        'GET',
        `/kapis/tenant.kubesphere.io/v1alpha2/workspaces/${workspace}/namespaces`,
      ),
    );
  }

  // Weights: mostly changes (what the audit log is about), some reads, refusals and failures.
  const actions: [number, () => Promise<void>][] = [
    [5, () => churn('configmaps')],
    [3, patchConfigMap],
    [2, () => churn('secrets')],
    [2, () => churn('services')],
    [2, scaleDeployment],
    [1, execIntoPod],
    [3, viewerWork],
    [2, failingRequest],
    [1, listWorkspaceProjects],
  ];
  const totalWeight = actions.reduce((sum, [weight]) => sum + weight, 0);
  const nextAction = () => {
    let roll = Math.random() * totalWeight;
    for (const [weight, action] of actions) {
      roll -= weight;
      if (roll < 0) return action;
    }
    return actions[0]?.[1] ?? (async () => {});
  };

  const inFlight = new Set<Promise<void>>();
  const logFailure = repeatsCounted(log);
  const tick = () => {
    if (stopped || inFlight.size >= MAX_IN_FLIGHT) return;
    const running = nextAction()()
      .catch((error: unknown) => logFailure(`demo traffic: ${failureText(error)}`))
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  };

  /** The stand-in starts beside the cluster and may take a few seconds more; until it serves, go direct. */
  const waitForKsApiserver = async () => {
    if (!options.ksApiserverUrl) return;
    const deadline = Date.now() + 60_000;
    while (!stopped && Date.now() < deadline) {
      const code = await rawRequest(clientFor('admin', true).kubeConfig, 'GET', '/healthz').catch(() => 0);
      if (code === 200) return;
      await sleep(500);
    }
    if (!stopped) log(`demo traffic: ${options.ksApiserverUrl} does not answer; sending everything to kube-apiserver`);
    standInUsable = false;
  };

  const ready = (async () => {
    if (options.ratePerSecond <= 0) return;
    await waitForKsApiserver();
    // The Deployment the demo scales and execs into, in tenant's namespace.
    const objects = KubernetesObjectApi.makeApiClient(clientFor('admin', false).kubeConfig);
    await objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: DEPLOYMENT, namespace: tenantNamespace, labels: { app: DEPLOYMENT } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: DEPLOYMENT } },
          template: {
            metadata: { labels: { app: DEPLOYMENT } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
          },
        },
      } as Parameters<typeof objects.patch>[0],
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
  })().catch((error: unknown) =>
    log(`demo traffic: the ${DEPLOYMENT} Deployment could not be applied: ${String(error)}`),
  );

  let timer: NodeJS.Timeout | null = null;
  if (options.ratePerSecond > 0) {
    void ready.then(() => {
      if (stopped) return;
      timer = setInterval(tick, 1000 / options.ratePerSecond);
      timer.unref();
    });
  }

  return {
    stats: () => structuredClone(stats),
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await ready;
      await Promise.all(inFlight);
      // Leave the namespaces as they were, but for the Deployment (part of the demo's scenery).
      const admin = clientFor('admin', false).core;
      await Promise.all(
        (Object.keys(created) as Kind[]).flatMap((kind) =>
          created[kind]
            .splice(0)
            .map(({ namespace, name }) =>
              (kind === 'configmaps'
                ? admin.deleteNamespacedConfigMap({ name, namespace })
                : kind === 'secrets'
                  ? admin.deleteNamespacedSecret({ name, namespace })
                  : admin.deleteNamespacedService({ name, namespace })
              ).catch(() => {}),
            ),
        ),
      );
    },
  };
}

/** "fetch failed" says nothing; its cause does (ECONNREFUSED while ks-apiserver restarts). */
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message;
  return why && !error.message.includes(why) ? `${error.message} (${why})` : error.message;
}

/**
 * The same failure again and again (a component restarting under the demo's requests) is logged once per
 * `windowMs` with a count of the repeats, not once per request.
 */
export function repeatsCounted(log: (line: string) => void, windowMs = 30_000): (line: string) => void {
  const loggedAt = new Map<string, number>();
  const repeats = new Map<string, number>();
  return (line) => {
    const now = Date.now();
    const last = loggedAt.get(line);
    if (last !== undefined && now - last < windowMs) {
      repeats.set(line, (repeats.get(line) ?? 0) + 1);
      return;
    }
    const skipped = repeats.get(line) ?? 0;
    repeats.delete(line);
    loggedAt.set(line, now);
    log(skipped > 0 ? `${line} (and ${skipped} more like it in the last ${Math.round(windowMs / 1000)} s)` : line);
  };
}
