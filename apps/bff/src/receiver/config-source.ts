import { effectiveWebhookSettings, type WebhookSettings, webhookName } from '@auditorium/audit-model';
import {
  type EffectiveRuleSettings,
  type LoadedRule,
  loadRules,
  type RuleCR,
  type RuleLoadError,
} from '@auditorium/rule-engine';
import type { ComponentHealth } from '../health.ts';

/**
 * Where the receiver's configuration comes from: the `kube-auditing-webhook` Webhook CR and every Rule CR.
 * In production that is a watch on the cluster (cluster-config-watch.ts); tests and the benchmark use a
 * static source. Both turn objects into a `ReceiverConfig` through `buildReceiverConfig`, so rule loading
 * and its status report are the same whichever source feeds them.
 */
export interface ReceiverConfig {
  /** What the receiver reads from the Webhook spec: k8sAuditingEnabled, receivers, priorities, selectors. */
  settings: WebhookSettings;
  rules: LoadedRule[];
  status: RuleStatus;
}

/** One rule item as the console shows it: what it does now, or why it does nothing. */
export interface RuleItemStatus {
  ruleCR: string;
  namespace?: string;
  item: string;
  /**
   * active: enabled, archives or alerts; disabled: `enable` is not true; inert: enabled but selected by
   * neither selector or below both thresholds; error: not loaded.
   */
  state: 'active' | 'disabled' | 'inert' | 'error';
  archiving: boolean;
  alerting: boolean;
  priority?: string;
  /** The load error, or the warnings of a loaded item. */
  messages: string[];
}

export interface RuleStatus {
  loadedAt: string;
  webhook: { name: string; found: boolean };
  /** The settings rule loading applied, after normalisation and defaults. */
  settings: EffectiveRuleSettings & { k8sAuditingEnabled: boolean; receivers: string[] };
  ruleResources: Array<{ name: string; namespace?: string }>;
  items: RuleItemStatus[];
  /** Problems not tied to one item (webhook settings, a whole CR), and every item error. */
  errors: RuleLoadError[];
  warnings: RuleLoadError[];
}

export interface ConfigSource {
  /** The configuration in force; undefined until the first complete load. */
  current(): ReceiverConfig | undefined;
  /** Resolves at the first complete load. */
  whenReady(): Promise<void>;
  /** Called after every reload. */
  subscribe(listener: (config: ReceiverConfig) => void): () => void;
  /** Whether the source is loaded and connected, and if not, why. */
  health(): ComponentHealth;
  close(): Promise<void>;
}

/** The Webhook CR and Rule CRs as read from the cluster (or written by a test). */
export interface ConfigObjects {
  /** `spec` of the Webhook CR; undefined when the CR does not exist. */
  webhookSpec: unknown;
  ruleCRs: RuleCR[];
}

const itemKey = (error: { ruleCR?: string; namespace?: string; item?: string }) =>
  `${error.namespace ?? ''}/${error.ruleCR ?? ''}/${error.item ?? ''}`;

export function buildReceiverConfig(objects: ConfigObjects, now = new Date()): ReceiverConfig {
  const settings = effectiveWebhookSettings(objects.webhookSpec);
  const spec = (objects.webhookSpec && typeof objects.webhookSpec === 'object' ? objects.webhookSpec : {}) as Record<
    string,
    unknown
  >;
  const policy = (spec.auditSinkPolicy ?? {}) as Record<string, unknown>;
  // Rule loading gets the raw values, not effectiveWebhookSettings' defaults, so it can warn about the
  // invalid ones it replaces.
  const loaded = loadRules(objects.ruleCRs, {
    archivingPriority: spec.archivingPriority as string | undefined,
    alertingPriority: spec.alertingPriority as string | undefined,
    archivingRuleSelector: policy.archivingRuleSelector as EffectiveRuleSettings['archivingRuleSelector'] | undefined,
    alertingRuleSelector: policy.alertingRuleSelector as EffectiveRuleSettings['alertingRuleSelector'] | undefined,
  });

  const warningsByItem = new Map<string, string[]>();
  for (const warning of loaded.warnings) {
    if (!warning.item) continue;
    const key = itemKey(warning);
    warningsByItem.set(key, [...(warningsByItem.get(key) ?? []), warning.reason]);
  }
  const items: RuleItemStatus[] = loaded.rules.map((rule) => ({
    ruleCR: rule.ruleCR,
    ...(rule.namespace ? { namespace: rule.namespace } : {}),
    item: rule.name,
    state: !rule.enabled ? 'disabled' : rule.archiving || rule.alerting ? 'active' : 'inert',
    archiving: rule.archiving,
    alerting: rule.alerting,
    ...(rule.priority ? { priority: rule.priority } : {}),
    messages: warningsByItem.get(itemKey({ ruleCR: rule.ruleCR, namespace: rule.namespace, item: rule.name })) ?? [],
  }));
  for (const error of loaded.errors) {
    if (!error.item || !error.ruleCR) continue;
    items.push({
      ruleCR: error.ruleCR,
      ...(error.namespace ? { namespace: error.namespace } : {}),
      item: error.item,
      state: 'error',
      archiving: false,
      alerting: false,
      messages: [error.reason],
    });
  }

  return {
    settings,
    rules: loaded.rules,
    status: {
      loadedAt: now.toISOString(),
      webhook: { name: webhookName, found: objects.webhookSpec !== undefined },
      settings: {
        ...loaded.settings,
        k8sAuditingEnabled: settings.k8sAuditingEnabled,
        receivers: settings.receivers.map((receiver) => receiver.name),
      },
      ruleResources: objects.ruleCRs.map((cr) => ({
        name: cr.metadata.name,
        ...(cr.metadata.namespace ? { namespace: cr.metadata.namespace } : {}),
      })),
      items,
      errors: loaded.errors,
      warnings: loaded.warnings,
    },
  };
}

/** A fixed configuration, replaceable with `update` (tests, the benchmark, a receiver without a cluster). */
export interface StaticConfigSource extends ConfigSource {
  update(objects: ConfigObjects): void;
}

export function staticConfigSource(objects: ConfigObjects): StaticConfigSource {
  let config = buildReceiverConfig(objects);
  const listeners = new Set<(config: ReceiverConfig) => void>();
  return {
    current: () => config,
    whenReady: () => Promise.resolve(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    health: () => ({ state: 'ok', detail: { source: 'static' } }),
    update(next) {
      config = buildReceiverConfig(next);
      for (const listener of listeners) listener(config);
    },
    close: async () => {
      listeners.clear();
    },
  };
}
