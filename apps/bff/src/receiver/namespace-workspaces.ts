import { workspaceLabel } from '@auditorium/audit-model';
import { CoreV1Api, type KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import { type WatchedResource, watchResource } from './watched-resource.ts';

/**
 * Which KubeSphere workspace a namespace belongs to (its `kubesphere.io/workspace` label), for
 * kube-apiserver events, which carry no workspace (reference §5.2). Answered from a watched cache of the
 * namespaces: a lookup per event is a Map read, never an API call, and a relabelled namespace is seen
 * as soon as the watch delivers it.
 */
export interface NamespaceWorkspaces {
  workspaceOf(namespace: string): string | undefined;
  synced(): boolean;
  lastError(): { message: string; at: string } | undefined;
  stop(): Promise<void>;
}

export function watchNamespaceWorkspaces(
  kubeConfig: KubeConfig,
  onError?: (message: string) => void,
): NamespaceWorkspaces {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const namespaces: WatchedResource<V1Namespace> = watchResource<V1Namespace>({
    kubeConfig,
    path: '/api/v1/namespaces',
    list: () => core.listNamespace(),
    description: 'namespaces',
    ...(onError ? { onError } : {}),
  });
  return {
    workspaceOf: (namespace) => namespaces.get(namespace)?.metadata?.labels?.[workspaceLabel],
    synced: () => namespaces.synced(),
    lastError: () => namespaces.lastError(),
    stop: () => namespaces.stop(),
  };
}
