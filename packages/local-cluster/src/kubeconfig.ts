// Kubeconfig files: the one people and tests use ($DATA_DIR/cluster/kubeconfig, a context per user, CA embedded
// so the file can be copied anywhere), and one per component. The same shape also serves kube-apiserver's
// --audit-webhook-config-file (see audit-files.ts).
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { writeFileAtomic } from './pki.ts';

export const CLUSTER_NAME = 'auditorium-local';

export interface KubeconfigUser {
  name: string;
  token: string;
  /** Default namespace of this user's context. */
  namespace?: string;
}

export interface KubeconfigInput {
  server: string;
  caPem: string;
  users: KubeconfigUser[];
  currentContext: string;
}

export function kubeconfigText(input: KubeconfigInput): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: CLUSTER_NAME,
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caPem).toString('base64'),
        },
      },
    ],
    contexts: input.users.map((user) => ({
      name: user.name,
      context: { cluster: CLUSTER_NAME, user: user.name, ...(user.namespace ? { namespace: user.namespace } : {}) },
    })),
    users: input.users.map((user) => ({ name: user.name, user: { token: user.token } })),
    'current-context': input.currentContext,
    preferences: {},
  };
  return stringify(config);
}

export function writeKubeconfig(file: string, input: KubeconfigInput): void {
  // Tokens inside: readable by the owner only.
  writeFileAtomic(file, kubeconfigText(input), 0o600);
}

/** A client-node KubeConfig for one token, without touching the disk. */
export function clientConfig(server: string, caPem: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: CLUSTER_NAME, server, caData: Buffer.from(caPem).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'context', cluster: CLUSTER_NAME, user: 'user' }],
    currentContext: 'context',
  });
  return kc;
}
