import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { auditWebhookConfigYaml } from './audit-webhook-config.ts';

interface Kubeconfig {
  'current-context': string;
  clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  users: Array<{ name: string; user: Record<string, unknown> }>;
}

const server = 'https://10.96.100.10:6443/audit/webhook/event';

function currentCluster(text: string) {
  const config = parse(text) as Kubeconfig;
  const context = config.contexts.find((entry) => entry.name === config['current-context'])!.context;
  return {
    cluster: config.clusters.find((entry) => entry.name === context.cluster)!.cluster,
    user: config.users.find((entry) => entry.name === context.user)!.user,
  };
}

describe('the audit webhook kubeconfig', () => {
  test('names the receiver by its full URL and verifies it with the embedded CA, never skipping TLS checks', () => {
    const text = auditWebhookConfigYaml({ server, ca: { kind: 'data', base64Pem: 'LS0tLS1CRUdJTg==' } });
    const { cluster, user } = currentCluster(text);
    expect(cluster).toEqual({ server, 'certificate-authority-data': 'LS0tLS1CRUdJTg==' });
    expect(user).toEqual({});
    expect(text).not.toContain('insecure-skip-tls-verify');
  });

  test('points at a CA file on the node when the CA is not known, and says where to copy it', () => {
    const text = auditWebhookConfigYaml({
      server,
      ca: { kind: 'file', path: '/etc/kubernetes/audit/receiver-ca.crt' },
    });
    expect(currentCluster(text).cluster).toEqual({
      server,
      'certificate-authority': '/etc/kubernetes/audit/receiver-ca.crt',
    });
    expect(text).toContain("# Copy the receiver's CA certificate (PEM) to /etc/kubernetes/audit/receiver-ca.crt");
  });

  test('carries the receiver token as a bearer token, with a warning to keep the file private', () => {
    const text = auditWebhookConfigYaml({ server, ca: { kind: 'data', base64Pem: 'eA==' }, token: 's3cret' });
    expect(currentCluster(text).user).toEqual({ token: 's3cret' });
    expect(text).toContain('chmod 600');
  });
});
