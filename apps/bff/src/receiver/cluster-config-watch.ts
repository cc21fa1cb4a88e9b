import { auditingGroup, auditingVersion, rulePlural, webhookName, webhookPlural } from '@auditorium/audit-model';
import type { RuleCR } from '@auditorium/rule-engine';
import {
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { ComponentHealth } from '../health.ts';
import { buildReceiverConfig, type ConfigSource, type ReceiverConfig } from './config-source.ts';
import { watchResource } from './watched-resource.ts';

/**
 * The receiver's configuration, live from the cluster: a watch on the Webhook `kube-auditing-webhook`
 * (cluster-scoped) and one on Rule CRs in every namespace (KubeSphere keys rules by CR name whatever the
 * namespace, reference §3.1). Any add, update or delete of either reloads everything, as KubeSphere's
 * webhook does (reference §2.5), after a short debounce so the initial list of many CRs is one reload.
 * A failing watch keeps the last good configuration in force and shows as degraded.
 */
export interface ClusterConfigOptions {
  /** Coalesces a burst of watch events into one reload; well under the one-second edit-to-effect goal. */
  debounceMs?: number;
  onReload?: (config: ReceiverConfig) => void;
  onError?: (message: string) => void;
}

type WebhookObject = KubernetesObject & { spec?: unknown };
type RuleObject = KubernetesObject & RuleCR;

export function clusterConfigSource(kubeConfig: KubeConfig, options: ClusterConfigOptions = {}): ConfigSource {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const base = `/apis/${auditingGroup}/${auditingVersion}`;
  const fieldSelector = `metadata.name=${webhookName}`;
  const webhooks = watchResource<WebhookObject>({
    kubeConfig,
    path: `${base}/${webhookPlural}`,
    fieldSelector,
    list: () =>
      custom.listClusterCustomObject({
        group: auditingGroup,
        version: auditingVersion,
        plural: webhookPlural,
        fieldSelector,
      }) as Promise<KubernetesListObject<WebhookObject>>,
    description: `Webhook ${webhookName}`,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const rules = watchResource<RuleObject>({
    kubeConfig,
    path: `${base}/${rulePlural}`,
    list: () =>
      custom.listCustomObjectForAllNamespaces({
        group: auditingGroup,
        version: auditingVersion,
        resourcePlural: rulePlural,
      }) as Promise<KubernetesListObject<RuleObject>>,
    description: 'Rule CRs',
    ...(options.onError ? { onError: options.onError } : {}),
  });

  let config: ReceiverConfig | undefined;
  const listeners = new Set<(config: ReceiverConfig) => void>();
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  const debounceMs = options.debounceMs ?? 25;

  const reload = () => {
    timer = undefined;
    if (!webhooks.synced() || !rules.synced()) return;
    const webhook = webhooks.get(webhookName);
    config = buildReceiverConfig({
      webhookSpec: webhook ? (webhook.spec ?? {}) : undefined,
      ruleCRs: [...rules.list()].sort(
        (a, b) =>
          (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      ),
    });
    resolveReady();
    options.onReload?.(config);
    for (const listener of listeners) listener(config);
  };
  const schedule = () => {
    timer ??= setTimeout(reload, debounceMs);
  };
  webhooks.onChange(schedule);
  rules.onChange(schedule);

  return {
    current: () => config,
    whenReady: () => ready,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    health(): ComponentHealth {
      const problems = [webhooks.lastError(), rules.lastError()].flatMap((error) => (error ? [error.message] : []));
      if (!config) {
        return {
          state: 'starting',
          reason:
            problems.length > 0
              ? `${problems.join('; ')}; check that the auditing CRDs are installed and the receiver may list and watch them`
              : 'waiting for the first list of the Webhook and Rule CRs',
        };
      }
      if (problems.length > 0) {
        return {
          state: 'degraded',
          reason: `using the configuration loaded at ${config.status.loadedAt}: ${problems.join('; ')}`,
        };
      }
      return { state: 'ok', detail: { loadedAt: config.status.loadedAt, ruleErrors: config.status.errors.length } };
    },
    async close() {
      clearTimeout(timer);
      listeners.clear();
      await Promise.all([webhooks.stop(), rules.stop()]);
    },
  };
}
