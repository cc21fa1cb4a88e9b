import { createHash } from 'node:crypto';
import { delimiter } from 'node:path';
import { failureStatus } from '@auditorium/audit-model';
import { KubeConfig } from '@kubernetes/client-node';
import { StatusError } from '../errors.ts';

/**
 * How this server reaches the cluster. Two modes, chosen by the environment like every Kubernetes client:
 *
 * - `local`: `KUBECONFIG` is set. The console is for the person who started it (loopback by default); the
 *   sign-in link lets them act as the kubeconfig's own identity, and anyone may sign in with a token.
 * - `in-cluster`: the pod's service account config. Users sign in with their own bearer token only; the
 *   service account's identity is never lent to a user.
 *
 * Either way a user's requests use a KubeConfig built from the base config's cluster (server, CA, TLS
 * name, proxy) plus that user's token, so the apiserver authenticates and authorizes the user.
 */
export type ClusterAccess =
  | {
      mode: 'local' | 'in-cluster';
      /** The API server URL, for messages. */
      server: string;
      /**
       * The base config's own identity: the kubeconfig's user (local) or the service account (in-cluster).
       * Used for local sign-in-link sessions, and to enumerate namespace names that each user's own
       * SelfSubjectAccessReviews then filter; never to act for a user.
       */
      serverKubeConfig: KubeConfig;
      kubeConfigForToken(token: string): KubeConfig;
    }
  | { mode: 'unavailable'; reason: string };

export type AvailableClusterAccess = Exclude<ClusterAccess, { mode: 'unavailable' }>;

const userName = 'auditorium-user';
const maxCachedConfigs = 256;

/** A per-token KubeConfig is cached so a user's calls reuse one HTTP agent (and its TLS connections). */
export function clusterAccess(mode: 'local' | 'in-cluster', base: KubeConfig): AvailableClusterAccess {
  const cluster = base.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig has no cluster for its current context "${base.getCurrentContext()}"`);
  const configs = new Map<string, KubeConfig>();
  return {
    mode,
    server: cluster.server,
    serverKubeConfig: base,
    kubeConfigForToken(token) {
      const key = createHash('sha256').update(token).digest('base64url');
      const cached = configs.get(key);
      if (cached) {
        configs.delete(key);
        configs.set(key, cached);
        return cached;
      }
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [cluster],
        users: [{ name: userName, token }],
        contexts: [{ name: userName, cluster: cluster.name, user: userName }],
        currentContext: userName,
      });
      configs.set(key, kubeConfig);
      if (configs.size > maxCachedConfigs) {
        const oldest = configs.keys().next().value;
        if (oldest !== undefined) configs.delete(oldest);
      }
      return kubeConfig;
    },
  };
}

/**
 * KUBECONFIG set → local mode with that file (its current context); in a pod → in-cluster mode; neither →
 * unavailable, with a reason the health probe and every API call report.
 */
export function clusterAccessFromEnvironment(env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  try {
    if (env.KUBECONFIG) {
      const base = new KubeConfig();
      const files = env.KUBECONFIG.split(delimiter).filter(Boolean);
      // KUBECONFIG may list several files, as kubectl allows; client-node merges them from process.env.
      if (files.length === 1) base.loadFromFile(files[0]!);
      else base.loadFromDefault();
      return clusterAccess('local', base);
    }
    if (env.KUBERNETES_SERVICE_HOST) {
      const base = new KubeConfig();
      base.loadFromCluster();
      return clusterAccess('in-cluster', base);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { mode: 'unavailable', reason: `the cluster configuration could not be loaded: ${reason}` };
  }
  return {
    mode: 'unavailable',
    reason:
      env.AUDITORIUM_CLUSTER_ERROR ??
      'no cluster is configured: set KUBECONFIG to a kubeconfig file, or run the server in a pod (in-cluster config)',
  };
}

/** The access to use, or a 503 Status saying why there is none. */
export function requireAvailable(cluster: ClusterAccess): AvailableClusterAccess {
  if (cluster.mode === 'unavailable') {
    throw new StatusError(failureStatus(503, 'ServiceUnavailable', `The cluster is unavailable: ${cluster.reason}.`));
  }
  return cluster;
}
