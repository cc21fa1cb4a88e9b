// What ks-apiserver reads of the Webhook CR, live: `auditLevel` and `k8sAuditingEnabled`. ks-apiserver looks the
// CR up in an informer on every request ("Auditing level can be modified with cr kube-auditing-webhook, so it need
// to judge every time", pkg/apiserver/filters/auditing.go), so an edit applies to the next request, no restart.
import { type AuditLevel, auditLevels } from '@auditorium/audit-model';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { type WatchedObject, watchWebhook } from './watched-object.ts';

export interface WebhookAuditPolicy {
  level: AuditLevel;
  k8sAuditingEnabled: boolean;
}

type WebhookObject = KubernetesObject & { spec?: { auditLevel?: unknown; k8sAuditingEnabled?: unknown } };

/**
 * ks-apiserver's reading, which is stricter than the receiver's: a missing CR, an empty or unknown level all mean
 * None (its level ordinal is 0 for anything but Metadata, Request, RequestResponse), so nothing is audited.
 */
export function auditPolicyOf(webhook: WebhookObject | undefined): WebhookAuditPolicy {
  const level = webhook?.spec?.auditLevel;
  return {
    level: auditLevels.includes(level as AuditLevel) ? (level as AuditLevel) : 'None',
    k8sAuditingEnabled: webhook?.spec?.k8sAuditingEnabled === true,
  };
}

export function watchWebhookAuditPolicy(
  kubeConfig: KubeConfig,
  webhookName: string,
  log: (line: string) => void,
): WatchedObject<WebhookObject> {
  return watchWebhook<WebhookObject>(kubeConfig, webhookName, {
    onChange: (webhook) => {
      const policy = auditPolicyOf(webhook);
      log(
        webhook
          ? `Webhook ${webhookName}: auditLevel ${policy.level}, k8sAuditingEnabled ${policy.k8sAuditingEnabled}`
          : `Webhook ${webhookName} is absent: auditing nothing`,
      );
    },
    onError: (message) => log(`watching Webhook ${webhookName}: ${message}`),
  });
}
