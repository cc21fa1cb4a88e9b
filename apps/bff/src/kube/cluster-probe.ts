import { VersionApi } from '@kubernetes/client-node';
import type { ComponentHealth, HealthProbe } from '../health.ts';
import type { ClusterAccess } from './cluster-access.ts';
import { kubeStatus } from './kube-errors.ts';

/**
 * The `cluster` component of /api/healthz: GET /version with the server's own identity (readable by
 * anyone), under a short timeout, so health never hangs on a dead apiserver. A failure says why.
 */
export function clusterProbe(cluster: ClusterAccess, timeoutMs = 3_000): HealthProbe {
  return async (): Promise<ComponentHealth> => {
    if (cluster.mode === 'unavailable') return { state: 'down', reason: cluster.reason };
    const detail = { mode: cluster.mode, server: cluster.server };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the Kubernetes API server at ${cluster.server} did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const version = await Promise.race([cluster.serverKubeConfig.makeApiClient(VersionApi).getCode(), timeout]);
      return { state: 'ok', detail: { ...detail, version: version.gitVersion } };
    } catch (error) {
      const reason = kubeStatus(error)?.message ?? (error instanceof Error ? error.message : String(error));
      return { state: 'down', reason, detail };
    } finally {
      clearTimeout(timer);
    }
  };
}
