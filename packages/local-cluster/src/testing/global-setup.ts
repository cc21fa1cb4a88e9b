// vitest globalSetup: one local cluster for the whole test run, in $DATA_DIR/test-cluster (or $TEST_CLUSTER_DIR) on
// ports 16444 (apiserver) and 16443 (receiver) (or $TEST_SANDBOX_PORT / $TEST_RECEIVER_PORT), so tests never meet a
// running `npm start` (6444/6443). With KUBECONFIG set, the tests use that cluster instead and nothing is started
// (controller-runtime's UseExistingCluster).
// Tests read it with `inject('localCluster')`, or from the environment (KUBECONFIG_LOCAL, …) in child processes.
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type LocalCluster, startLocalCluster, type UserName } from '../index.ts';

export interface LocalClusterInfo {
  /** True when KUBECONFIG named another cluster; then only kubeconfigPath is known. */
  external: boolean;
  kubeconfigPath: string;
  server: string;
  /** Bearer tokens of admin / tenant / viewer (local cluster only). */
  tokens: Record<UserName, string> | null;
  receiverTls: { caFile: string; certFile: string; keyFile: string } | null;
  sandboxPort: number;
  receiverPort: number;
  /** The data directory given to startLocalCluster (its cluster lives in `cluster/`). */
  dataDir: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localCluster: LocalClusterInfo;
  }
}

// Overridable so that two test runs on one machine (two developers, two worktrees) need not share a cluster.
export const TEST_SANDBOX_PORT = Number(process.env.TEST_SANDBOX_PORT || 16444);
export const TEST_RECEIVER_PORT = Number(process.env.TEST_RECEIVER_PORT || 16443);

/** The environment variables tests and the processes they spawn can read instead of inject(). */
function exportToEnv(info: LocalClusterInfo): void {
  const env: Record<string, string | undefined> = {
    KUBECONFIG_LOCAL: info.kubeconfigPath,
    LOCAL_CLUSTER_SERVER: info.server,
    LOCAL_CLUSTER_TOKEN_ADMIN: info.tokens?.admin,
    LOCAL_CLUSTER_TOKEN_TENANT: info.tokens?.tenant,
    LOCAL_CLUSTER_TOKEN_VIEWER: info.tokens?.viewer,
    LOCAL_CLUSTER_SANDBOX_PORT: String(info.sandboxPort),
    LOCAL_CLUSTER_RECEIVER_PORT: String(info.receiverPort),
    LOCAL_CLUSTER_RECEIVER_TLS_CA: info.receiverTls?.caFile,
    LOCAL_CLUSTER_RECEIVER_TLS_CERT: info.receiverTls?.certFile,
    LOCAL_CLUSTER_RECEIVER_TLS_KEY: info.receiverTls?.keyFile,
  };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.KUBECONFIG) {
    const info: LocalClusterInfo = {
      external: true,
      kubeconfigPath: process.env.KUBECONFIG,
      server: '',
      tokens: null,
      receiverTls: null,
      sandboxPort: 0,
      receiverPort: Number(process.env.RECEIVER_PORT || TEST_RECEIVER_PORT),
      dataDir: null,
    };
    exportToEnv(info);
    project.provide('localCluster', info);
    return async () => {};
  }

  // TEST_CLUSTER_DIR: a data directory of its own, with TEST_SANDBOX_PORT / TEST_RECEIVER_PORT (one supervisor per
  // directory: a second run on the same one is refused).
  const dataDir = process.env.TEST_CLUSTER_DIR
    ? resolve(process.env.TEST_CLUSTER_DIR)
    : resolve(process.env.DATA_DIR || resolve(import.meta.dirname, '../../../../.auditorium'), 'test-cluster');
  const started = Date.now();
  let cluster: LocalCluster;
  try {
    cluster = await startLocalCluster({
      dataDir,
      sandboxPort: TEST_SANDBOX_PORT,
      receiverPort: TEST_RECEIVER_PORT,
      log: (line) => process.stderr.write(`local-cluster: ${line}\n`),
    });
  } catch (error) {
    throw new Error(
      `the integration tests need the local cluster, which did not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  process.stderr.write(
    `local-cluster: test cluster ready in ${((Date.now() - started) / 1000).toFixed(1)}s (${cluster.server})\n`,
  );
  const info: LocalClusterInfo = {
    external: false,
    kubeconfigPath: cluster.kubeconfigPath,
    server: cluster.server,
    tokens: { ...cluster.tokens },
    receiverTls: { ...cluster.receiverTls },
    sandboxPort: cluster.sandboxPort,
    receiverPort: cluster.receiverPort,
    dataDir,
  };
  exportToEnv(info);
  project.provide('localCluster', info);
  return async () => {
    await cluster.stop();
  };
}
