import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { mapLimited } from './bounded-parallel.ts';
import { type ClusterAccess, requireAvailable } from './cluster-access.ts';
import { canI } from './self-review.ts';
import type { UserKube } from './user-kube.ts';

/**
 * Where a user may read events, scoped like KubeSphere's query API: cluster-wide `list events` sees
 * everything; otherwise the namespaces in which the user may `list` core `events`. Authorization is always
 * the user's own SelfSubjectAccessReview. Only the candidate namespace NAMES come from the server's
 * identity (as ks-apiserver does), because a namespace-scoped user usually cannot list namespaces; the
 * user learns nothing about namespaces they have no access to.
 */
export type EventScope =
  | { clusterWide: true }
  | {
      clusterWide: false;
      namespaces: string[];
      /** Why the list may be incomplete, when it may be. */
      note?: string;
    };

const maxNamespaces = 1000;
const concurrency = 8;

async function namespaceNames(kubeConfig: KubeConfig): Promise<string[]> {
  const list = await kubeConfig.makeApiClient(CoreV1Api).listNamespace({ limit: maxNamespaces });
  return list.items.flatMap((namespace) => (namespace.metadata?.name ? [namespace.metadata.name] : []));
}

export interface EventScopeResolver {
  (userKube: UserKube): Promise<EventScope>;
}

export function eventScopeResolver(clusterAccess: ClusterAccess, options: { ttlMs?: number } = {}) {
  const ttl = options.ttlMs ?? 30_000;
  const cache = new Map<string, { scope: EventScope; until: number }>();

  async function candidates(userKube: UserKube): Promise<{ names: string[]; note?: string }> {
    const cluster = requireAvailable(clusterAccess);
    for (const kubeConfig of [cluster.serverKubeConfig, userKube.kubeConfig]) {
      try {
        return { names: await namespaceNames(kubeConfig) };
      } catch {
        // Try the next identity.
      }
    }
    return {
      names: [],
      note: 'Neither you nor this server may list namespaces, so the namespaces you can read events in are unknown.',
    };
  }

  const resolve: EventScopeResolver = async (userKube) => {
    const key = `${userKube.user.username}\u0000${userKube.user.groups.join(',')}`;
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.scope;
    let scope: EventScope;
    const clusterWide = await canI(userKube.kubeConfig, { verb: 'list', group: '', resource: 'events' });
    if (clusterWide.allowed) {
      scope = { clusterWide: true };
    } else {
      const { names, note } = await candidates(userKube);
      const allowed = await mapLimited(names, concurrency, async (namespace) => {
        const answer = await canI(userKube.kubeConfig, { verb: 'list', group: '', resource: 'events', namespace });
        return answer.allowed ? namespace : undefined;
      });
      scope = { clusterWide: false, namespaces: allowed.filter((name): name is string => name !== undefined) };
      if (note) scope.note = note;
      else if (names.length >= maxNamespaces) scope.note = `Only the first ${maxNamespaces} namespaces were checked.`;
    }
    cache.set(key, { scope, until: Date.now() + ttl });
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return scope;
  };
  return resolve;
}
