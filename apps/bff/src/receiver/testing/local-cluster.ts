import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';

/**
 * The cluster of the integration tests, as packages/local-cluster's vitest globalSetup provides it: its own
 * local cluster, or the one KUBECONFIG names. (The BFF does not depend on local-cluster, so the provided
 * value is described here by the fields these tests read.)
 */
export interface TestClusterInfo {
  /** True when KUBECONFIG named another cluster; then the receiver TLS files are unknown. */
  external: boolean;
  kubeconfigPath: string;
  /** The serving pair kube-apiserver's audit webhook trusts, and the port it posts to. */
  receiverTls: { caFile: string; certFile: string; keyFile: string } | null;
  receiverPort: number;
}

/** The receiver TLS files from the environment: what the globalSetup exports, or what a developer sets to
 * point these tests at an external cluster that audits to this machine. */
function receiverTlsFromEnv(): TestClusterInfo['receiverTls'] {
  const { LOCAL_CLUSTER_RECEIVER_TLS_CA: caFile, LOCAL_CLUSTER_RECEIVER_TLS_CERT: certFile } = process.env;
  const keyFile = process.env.LOCAL_CLUSTER_RECEIVER_TLS_KEY;
  return caFile && certFile && keyFile ? { caFile, certFile, keyFile } : null;
}

export function testCluster(): TestClusterInfo {
  const provided = (inject as unknown as (key: string) => TestClusterInfo | undefined)('localCluster');
  const kubeconfigPath = provided?.kubeconfigPath ?? process.env.KUBECONFIG_LOCAL ?? process.env.KUBECONFIG;
  if (!kubeconfigPath) throw new Error('no test cluster: run under vitest with the local-cluster globalSetup');
  return {
    external: provided?.external ?? !process.env.KUBECONFIG_LOCAL,
    kubeconfigPath,
    receiverTls: provided?.receiverTls ?? receiverTlsFromEnv(),
    receiverPort: provided?.receiverPort ?? Number(process.env.LOCAL_CLUSTER_RECEIVER_PORT ?? 16443),
  };
}

/** The kubeconfig's current context: admin on the local cluster. */
export function testKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(testCluster().kubeconfigPath);
  return kubeConfig;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}
