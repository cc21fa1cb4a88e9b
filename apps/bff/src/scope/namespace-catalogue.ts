import { workspaceLabel } from '@auditorium/audit-model';
import { CoreV1Api, type KubeConfig, type V1Namespace } from '@kubernetes/client-node';

/** A namespace as scoping needs it: its name, when it was created, and its KubeSphere workspace. */
export interface NamespaceInfo {
  name: string;
  /** creationTimestamp in Unix ms. */
  createdMs: number;
  /** The `kubesphere.io/workspace` label, '' without one. */
  workspace: string;
}

/**
 * Every namespace of the cluster, listed with the server's own identity. It only ever says which
 * namespaces exist (as ks-apiserver's namespace informer does for KubeSphere's query API, reference
 * §7.2): whether a user sees a namespace's events is still decided by that user's own
 * SelfSubjectAccessReview. Needed because a tenant usually may not list namespaces.
 */
export type NamespaceCatalogue = () => Promise<NamespaceInfo[]>;

export function namespaceInfo(namespace: V1Namespace): NamespaceInfo {
  const created = namespace.metadata?.creationTimestamp as Date | string | undefined;
  const createdMs = created instanceof Date ? created.getTime() : created ? Date.parse(created) : 0;
  return {
    name: namespace.metadata?.name ?? '',
    createdMs: Number.isNaN(createdMs) ? 0 : createdMs,
    workspace: namespace.metadata?.labels?.[workspaceLabel] ?? '',
  };
}

/** Lists every namespace through `kubeConfig`, at most once per `ttlMs`; concurrent callers share one list. */
export function kubeNamespaceCatalogue(kubeConfig: KubeConfig, ttlMs = 30_000): NamespaceCatalogue {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  let cached: { atMs: number; namespaces: Promise<NamespaceInfo[]> } | undefined;
  return () => {
    const nowMs = Date.now();
    if (!cached || nowMs - cached.atMs > ttlMs) {
      const namespaces = core.listNamespace().then((list) => list.items.map(namespaceInfo));
      cached = { atMs: nowMs, namespaces };
      // A failed list is not remembered: the next caller tries again.
      namespaces.catch(() => {
        if (cached?.namespaces === namespaces) cached = undefined;
      });
    }
    return cached.namespaces;
  };
}
