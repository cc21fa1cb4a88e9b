import type { Receiver } from '@auditorium/audit-model';
import type { AlertClient } from './alert-client.ts';
import { requestJson } from './http-json.ts';
import type { PostableAlert } from './postable-alert.ts';

/**
 * `type: webhook` receivers. KubeSphere never specified this payload (reference §5.5, UNCONFIRMED), so we
 * send what an Alertmanager would get, the same JSON array of alerts, which lets one tool consume both.
 * `url` is used as written; `service` becomes `https://<name>.<namespace>.svc:<port|443><path>`, as for
 * admission webhooks whose config type (WebhookClientConfig) this is. `caBundle` is trusted for https.
 */
export function webhookUrl(config: Receiver['config']): string {
  if (config.url) return config.url;
  if (!config.service) throw new Error('a webhook receiver needs config.url or config.service');
  const { name, namespace, port, path } = config.service;
  const suffix = path ? (path.startsWith('/') ? path : `/${path}`) : '';
  return `https://${name}.${namespace}.svc:${port ?? 443}${suffix}`;
}

export function webhookClient(receiver: Receiver, timeoutMs = 10_000): AlertClient {
  const url = webhookUrl(receiver.config);
  const ca = receiver.config.caBundle ? Buffer.from(receiver.config.caBundle, 'base64').toString('utf8') : undefined;
  return {
    endpoint: url,
    async send(alerts: PostableAlert[]) {
      await requestJson('POST', url, alerts, { timeoutMs, ...(ca ? { ca } : {}) });
    },
  };
}
