import type { Receiver } from '@auditorium/audit-model';
import type { AlertClient } from './alert-client.ts';
import { requestJson } from './http-json.ts';
import type { PostableAlert } from './postable-alert.ts';

/**
 * Alertmanager v2 as KubeSphere's exporter (kubesphere/alertmanager-kit) talks to it, reference §5.5:
 * - `service` → `http://<name>.<namespace>.svc:<port|9093>`; `url` → only its host and port, always over
 *   plain http, path ignored, port 9093 when none is written.
 * - Before posting it reads `GET /api/v2/status`; when the Alertmanager runs as a cluster of more than one
 *   peer it posts to every peer's IP on the same port, because peers gossip silences and notifications
 *   but not alerts, and a Service would hand the alert to one peer only.
 */
export const defaultAlertmanagerPort = 9093;

export function alertmanagerBaseUrl(config: Receiver['config']): string {
  if (config.service) {
    const { name, namespace, port } = config.service;
    return `http://${name}.${namespace}.svc:${port ?? defaultAlertmanagerPort}`;
  }
  if (!config.url) throw new Error('an alertmanager receiver needs config.url or config.service');
  // Read the authority by hand: URL drops a port equal to the scheme's default (http://am:80 → port ''),
  // and an explicitly written port must be kept.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(config.url)?.[1] ?? config.url;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const ipv6 = /^(\[[^\]]+\])(?::(\d+))?$/.exec(hostPort);
  const [host, port] = ipv6 ? [ipv6[1], ipv6[2]] : (hostPort.split(':') as [string, string | undefined]);
  return `http://${host}:${port || defaultAlertmanagerPort}`;
}

interface AlertmanagerStatus {
  cluster?: { peers?: Array<{ address?: string }> | null };
}

function peerUrls(status: unknown, base: string): string[] {
  const peers = (status as AlertmanagerStatus | undefined)?.cluster?.peers ?? [];
  if (peers.length <= 1) return [];
  const port = new URL(base).port;
  return peers.flatMap((peer) => {
    // A peer address is its cluster (gossip) address, `ip:9094`; alerts go to the same IP on the API port.
    const ip = peer.address?.replace(/:\d+$/, '');
    return ip ? [`http://${ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip}:${port}`] : [];
  });
}

export function alertmanagerClient(receiver: Receiver, timeoutMs = 10_000): AlertClient {
  const base = alertmanagerBaseUrl(receiver.config);
  return {
    endpoint: base,
    async send(alerts: PostableAlert[]) {
      let targets = [base];
      try {
        const peers = peerUrls(await requestJson('GET', `${base}/api/v2/status`, undefined, { timeoutMs }), base);
        if (peers.length > 0) targets = peers;
      } catch {
        // The status call is only for finding peers; the post below reports the real failure, if any.
      }
      const results = await Promise.allSettled(
        targets.map((target) => requestJson('POST', `${target}/api/v2/alerts`, alerts, { timeoutMs })),
      );
      const failures = results.flatMap((result) =>
        result.status === 'rejected' ? [String(result.reason?.message ?? result.reason)] : [],
      );
      // Alertmanager peers deduplicate notifications, so one peer that took the alerts is enough.
      if (failures.length === targets.length) throw new Error(failures.join('; '));
    },
  };
}
