// The kube-auditing operator's reconciler (reference §2.4, inferred from the derivative's WebhookReconciler): the
// Webhook CR kube-auditing-webhook becomes Deployment kube-auditing-webhook-deploy and Service
// kube-auditing-webhook-svc in kubesphere-logging-system, both owned by the CR. Replicas, image, args, port, TLS,
// resources and scheduling come from the CR, so `kubectl patch awh kube-auditing-webhook --type merge -p
// '{"spec":{"replicas":3}}'` gives three Running (kwok) pods. Server-side apply with the operator's own field
// manager; it watches the CR and the two objects it owns, so a deleted or hand-edited Deployment comes back.
// The TLS Secret kube-auditing-webhook-secret is the supervisor's (seed.ts), since it holds the certificate of the
// receiver that really listens; the operator only mounts it, as its Deployment does.
import { auditingApiVersion } from '@auditorium/audit-model';
import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Deployment,
  type V1Service,
} from '@kubernetes/client-node';
import { errorText } from '../seed.ts';
import { type WatchedObject, watchObject, watchWebhook } from './watched-object.ts';

export const OPERATOR_FIELD_MANAGER = 'kube-auditing-operator';
/** The derivative's default when the CR names no image. */
const DEFAULT_WEBHOOK_IMAGE = 'kubespheredev/kube-auditing-webhook:latest';

interface WebhookSpecForOperator {
  replicas?: number;
  image?: string;
  imagePullPolicy?: string;
  imagePullSecrets?: { name: string }[];
  args?: string[];
  port?: number;
  useHTTPS?: boolean;
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
  tolerations?: Record<string, unknown>[];
  resources?: Record<string, unknown>;
}

export type WebhookObject = KubernetesObject & { spec?: WebhookSpecForOperator };

export interface AuditingOperatorOptions {
  /** The operator's identity (ServiceAccount kube-auditing-operator). */
  kubeConfig: KubeConfig;
  /** The CR it reconciles (`--auditing-webhook-name`, kube-auditing-webhook). */
  webhookName: string;
  /** Where its Deployment and Service go: the operator's own namespace. */
  namespace: string;
  /** The ServiceAccount of the webhook's pods. */
  serviceAccountName?: string;
  onReconciled?: (result: { error?: string }) => void;
  log?: (line: string) => void;
}

function isEmpty(value: object | undefined): boolean {
  return value === undefined || Object.keys(value).length === 0;
}

/** The objects the operator wants for a Webhook; exported for the test of their shape. */
export function desiredObjects(
  webhook: WebhookObject,
  namespace: string,
  serviceAccountName = 'kube-auditing-operator',
): { deployment: V1Deployment; service: V1Service } {
  const name = webhook.metadata?.name ?? '';
  const spec = webhook.spec ?? {};
  const useHTTPS = spec.useHTTPS ?? false;
  // CRD text: "Default to 6443 when useHTTPS is true, 8080 otherwise".
  const port = spec.port || (useHTTPS ? 6443 : 8080);
  const scheme = useHTTPS ? 'HTTPS' : 'HTTP';
  const selector = { app: name };
  const ownerReferences = [
    {
      apiVersion: auditingApiVersion,
      kind: 'Webhook',
      name,
      uid: webhook.metadata?.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const labels = { ...webhook.metadata?.labels, ...selector };
  const probe = {
    httpGet: { path: '/readiness', port, scheme },
    initialDelaySeconds: 10,
    timeoutSeconds: 3,
    periodSeconds: 10,
    failureThreshold: 3,
  };
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${name}-deploy`, namespace, labels, ownerReferences },
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          serviceAccountName,
          containers: [
            {
              // fluent-bit's tail path names this container, so it keeps the CR's name (reference §2.4).
              name,
              image: spec.image || DEFAULT_WEBHOOK_IMAGE,
              ...(spec.imagePullPolicy ? { imagePullPolicy: spec.imagePullPolicy } : {}),
              args: [...(spec.args ?? []), `--port=${port}`, `--tls=${useHTTPS}`],
              ports: [{ containerPort: port, protocol: 'TCP' }],
              ...(isEmpty(spec.resources) ? {} : { resources: spec.resources }),
              readinessProbe: probe,
              livenessProbe: probe,
              lifecycle: { preStop: { httpGet: { path: '/preStop', port, scheme } } },
              volumeMounts: [
                { name: 'webhook-certs', mountPath: '/etc/kube/auditing/', readOnly: true },
                { name: 'host-time', mountPath: '/etc/localtime', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'webhook-certs', secret: { secretName: `${name}-secret` } },
            { name: 'host-time', hostPath: { path: '/etc/localtime' } },
          ],
          ...(isEmpty(spec.nodeSelector) ? {} : { nodeSelector: spec.nodeSelector }),
          ...(isEmpty(spec.affinity) ? {} : { affinity: spec.affinity }),
          ...(spec.tolerations?.length ? { tolerations: spec.tolerations } : {}),
          ...(spec.imagePullSecrets?.length ? { imagePullSecrets: spec.imagePullSecrets } : {}),
        },
      },
    },
  } as V1Deployment;
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${name}-svc`, namespace, labels, ownerReferences },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: useHTTPS ? 'https' : 'http', port, targetPort: port, protocol: 'TCP' }],
    },
  };
  return { deployment, service };
}

export class AuditingOperator {
  readonly options: AuditingOperatorOptions;
  #watches: WatchedObject<KubernetesObject>[] = [];
  #webhook: WatchedObject<WebhookObject> | null = null;
  #pending: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  #ownedFingerprints = new Map<string, string>();
  #firstReconcile: Promise<void>;
  #markFirst: () => void = () => {};

  constructor(options: AuditingOperatorOptions) {
    this.options = options;
    this.#firstReconcile = new Promise((resolve) => {
      this.#markFirst = resolve;
    });
  }

  /** Starts watching; resolves after the first reconcile (successful or not). */
  async start(): Promise<void> {
    const { kubeConfig, webhookName, namespace } = this.options;
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const onError = (what: string) => (message: string) => this.options.log?.(`watching ${what}: ${message}`);
    this.#webhook = watchWebhook<WebhookObject>(kubeConfig, webhookName, {
      onChange: () => this.#schedule(),
      onError: onError(`Webhook ${webhookName}`),
    });
    const owned = [
      watchObject<V1Deployment>({
        kubeConfig,
        path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
        name: `${webhookName}-deploy`,
        list: (fieldSelector) => apps.listNamespacedDeployment({ namespace, fieldSelector }),
        onChange: (deployment) => this.#ownedChanged('deployment', deployment),
        onError: onError(`Deployment ${namespace}/${webhookName}-deploy`),
      }),
      watchObject<V1Service>({
        kubeConfig,
        path: `/api/v1/namespaces/${namespace}/services`,
        name: `${webhookName}-svc`,
        list: (fieldSelector) => core.listNamespacedService({ namespace, fieldSelector }),
        onChange: (service) => this.#ownedChanged('service', service),
        onError: onError(`Service ${namespace}/${webhookName}-svc`),
      }),
    ];
    this.#watches = owned as WatchedObject<KubernetesObject>[];
    await Promise.all([this.#webhook.synced, ...owned.map((watch) => watch.synced)]);
    this.#schedule(0);
    await this.#firstReconcile;
  }

  /**
   * The owned objects change all the time (the Deployment's status on every pod change); only a change of what
   * the operator sets (spec, labels, owners) or a deletion needs a reconcile, so idle clusters see no applies.
   */
  #ownedChanged(kind: 'deployment' | 'service', object: (KubernetesObject & { spec?: unknown }) | undefined): void {
    const fingerprint = object
      ? JSON.stringify([object.spec, object.metadata?.labels, object.metadata?.ownerReferences])
      : '';
    if (this.#ownedFingerprints.get(kind) === fingerprint) return;
    this.#ownedFingerprints.set(kind, fingerprint);
    this.#schedule();
  }

  /** Coalesces bursts of watch events (our own apply echoes back as updates) into one reconcile. */
  #schedule(delayMs = 100): void {
    if (this.#stopped) return;
    if (this.#pending) clearTimeout(this.#pending);
    this.#pending = setTimeout(() => {
      this.#pending = null;
      this.#running = this.#running.then(() => this.#reconcile());
    }, delayMs);
  }

  async #reconcile(): Promise<void> {
    if (this.#stopped) return;
    const webhook = this.#webhook?.current();
    let error: string | undefined;
    // A deleted Webhook needs nothing from us: the garbage collector removes what it owns.
    if (webhook?.metadata?.uid && !webhook.metadata.deletionTimestamp) {
      const { deployment, service } = desiredObjects(webhook, this.options.namespace, this.options.serviceAccountName);
      const objects = KubernetesObjectApi.makeApiClient(this.options.kubeConfig);
      try {
        for (const object of [deployment, service]) {
          await objects.patch(
            object as KubernetesObject,
            undefined,
            undefined,
            OPERATOR_FIELD_MANAGER,
            true,
            PatchStrategy.ServerSideApply,
          );
        }
      } catch (failure) {
        error = `reconciling Webhook ${this.options.webhookName}: ${errorText(failure)}`;
        this.options.log?.(error);
        // Try again a little later, as a controller's rate-limited requeue would.
        this.#schedule(5_000);
      }
    }
    this.options.onReconciled?.(error ? { error } : {});
    this.#markFirst();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#pending) clearTimeout(this.#pending);
    await Promise.all([this.#webhook?.stop(), ...this.#watches.map((watch) => watch.stop())]);
    await this.#running;
  }
}
