import { Document } from 'yaml';

/**
 * kube-apiserver's `--audit-webhook-config-file`: a kubeconfig whose current context names the receiver
 * (k8s-audit.md §3.2). The server URL is the receiver's full URL including the path. TLS is verified
 * against the receiver's CA; never `insecure-skip-tls-verify`.
 */
export type ReceiverCa =
  /** base64 of the PEM bundle, embedded. */
  | { kind: 'data'; base64Pem: string }
  /** A file on the control-plane node the admin copies the CA to. */
  | { kind: 'file'; path: string };

export interface AuditWebhookConfigInput {
  server: string;
  ca: ReceiverCa;
  /** Bearer token the receiver requires, if it requires one. */
  token?: string;
}

const name = 'auditorium';

export function auditWebhookConfig(input: AuditWebhookConfigInput) {
  const cluster: Record<string, unknown> = { server: input.server };
  if (input.ca.kind === 'data') cluster['certificate-authority-data'] = input.ca.base64Pem;
  else cluster['certificate-authority'] = input.ca.path;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user: input.token ? { token: input.token } : {} }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  };
}

export function auditWebhookConfigYaml(input: AuditWebhookConfigInput): string {
  const document = new Document(auditWebhookConfig(input));
  const lines = [
    ' kube-apiserver --audit-webhook-config-file: where audit events go (a kubeconfig; current-context is required).',
    ' The apiserver usually runs with the host network and cannot resolve Service names, hence the ClusterIP.',
  ];
  if (input.ca.kind === 'file') {
    lines.push(` Copy the receiver's CA certificate (PEM) to ${input.ca.path} on every control-plane node.`);
  }
  if (input.token) lines.push(' Holds the receiver token: keep this file readable by root only (chmod 600).');
  document.commentBefore = lines.join('\n');
  return document.toString({ lineWidth: 0 });
}
