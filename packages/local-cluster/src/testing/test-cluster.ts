// What integration tests need from the shared cluster that global-setup.ts started: clients per user, kubectl,
// and a namespace of their own (each test owns its data and cleans it up).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { resolveKubectl } from '../kubectl.ts';
import type { UserName } from '../users.ts';
import type { LocalClusterInfo } from './global-setup.ts';

export function clusterInfo(): LocalClusterInfo {
  return inject('localCluster');
}

/** client-node configured as one of the kubeconfig's users (its context of the same name). */
export function kubeConfigAs(user: UserName): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(clusterInfo().kubeconfigPath);
  kc.setCurrentContext(user);
  return kc;
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Creates a namespace as admin; returns its name and a cleanup that deletes it. */
export async function createTestNamespace(prefix: string): Promise<{ name: string; remove: () => Promise<void> }> {
  const core = kubeConfigAs('admin').makeApiClient(CoreV1Api);
  const name = uniqueName(prefix);
  await core.createNamespace({ body: { metadata: { name, labels: { 'auditorium.test': 'true' } } } });
  // Pods are refused until kube-controller-manager has made the namespace's default ServiceAccount.
  const deadline = Date.now() + 20_000;
  while (!(await core.readNamespacedServiceAccount({ name: 'default', namespace: name }).catch(() => null))) {
    if (Date.now() > deadline) throw new Error(`namespace ${name} got no default ServiceAccount within 20s`);
    await sleep(100);
  }
  return {
    name,
    remove: async () => {
      await core.deleteNamespace({ name }).catch(() => {});
    },
  };
}

let kubectlPath: Promise<string> | null = null;

/** Runs kubectl (within one minor of the server, fetched once if need be) against the test cluster. */
export async function kubectl(
  args: string[],
  options: { context?: UserName; input?: string } = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  const dataDir = clusterInfo().dataDir ?? process.env.DATA_DIR ?? '.auditorium';
  kubectlPath ??= resolveKubectl({ dataDir: `${dataDir}/..` });
  const binary = await kubectlPath;
  const contextArgs = options.context ? ['--context', options.context] : [];
  const result = spawnSync(binary, [...contextArgs, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: clusterInfo().kubeconfigPath },
    input: options.input,
    timeout: 60_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
