import { auditingGroup, auditingVersion, rulePlural, webhookName, webhookPlural } from '@auditorium/audit-model';
import type { RuleCR, WebhookRuleSettings } from '@auditorium/rule-engine';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { hasCode } from '../kube/kube-errors.ts';
import type { RuleStatus } from '../receiver/config-source.ts';

/**
 * Reading the auditing configuration as the signed-in user, for the rules list and the playground: the
 * Rule CRs (all namespaces, keyed by name as the webhook does; reference §3.1) and the rule settings of
 * the Webhook CR. The receiver's own view (`RuleStatus`) is preferred for settings: it is what the
 * receiver applies.
 */
export interface RuleObject extends RuleCR {
  apiVersion?: string;
  kind?: string;
  metadata: RuleCR['metadata'] & { resourceVersion?: string; creationTimestamp?: string; uid?: string };
}

/** Every Rule CR, or those of one namespace (for a user who may list Rules only there). */
export async function listRuleObjects(kubeConfig: KubeConfig, namespace?: string): Promise<RuleObject[]> {
  const customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
  const resource = { group: auditingGroup, version: auditingVersion, plural: rulePlural };
  const list = (await (namespace
    ? customObjects.listNamespacedCustomObject({ ...resource, namespace })
    : customObjects.listClusterCustomObject(resource))) as { items?: RuleObject[] };
  return list.items ?? [];
}

export type SettingsOrigin = 'receiver' | 'webhook' | 'defaults';

/**
 * The Webhook CR's spec as the user reads it; `spec` is undefined, with a note saying why, when the CR
 * does not exist or the user may not read it.
 */
export async function readWebhookSpec(
  kubeConfig: KubeConfig,
): Promise<{ spec: Record<string, unknown> | undefined; note?: string }> {
  const customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
  try {
    const webhook = (await customObjects.getClusterCustomObject({
      group: auditingGroup,
      version: auditingVersion,
      plural: webhookPlural,
      name: webhookName,
    })) as { spec?: Record<string, unknown> };
    return { spec: webhook.spec ?? {} };
  } catch (error) {
    if (hasCode(error, 404)) return { spec: undefined, note: `Webhook ${webhookName} does not exist; defaults apply` };
    if (hasCode(error, 403)) {
      return {
        spec: undefined,
        note: `you may not read Webhook ${webhookName}; KubeSphere's default selectors and priorities are shown`,
      };
    }
    throw error;
  }
}

/**
 * The settings rule loading uses: the receiver's when it runs here, else the Webhook CR's spec read as
 * the user, else (no Webhook, or the user may not read it) KubeSphere's defaults.
 */
export async function ruleSettings(
  kubeConfig: KubeConfig,
  ruleStatus: RuleStatus | undefined,
): Promise<{ settings: WebhookRuleSettings; origin: SettingsOrigin; note?: string }> {
  if (ruleStatus) return { settings: ruleStatus.settings, origin: 'receiver' };
  const { spec, note } = await readWebhookSpec(kubeConfig);
  if (!spec) return { settings: {}, origin: 'defaults', ...(note ? { note } : {}) };
  const policy = (spec.auditSinkPolicy ?? {}) as Record<string, unknown>;
  return {
    origin: 'webhook',
    settings: {
      archivingPriority: spec.archivingPriority as string | undefined,
      alertingPriority: spec.alertingPriority as string | undefined,
      archivingRuleSelector: policy.archivingRuleSelector as WebhookRuleSettings['archivingRuleSelector'],
      alertingRuleSelector: policy.alertingRuleSelector as WebhookRuleSettings['alertingRuleSelector'],
    },
  };
}
