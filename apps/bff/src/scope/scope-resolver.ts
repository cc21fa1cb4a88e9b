import { ApiException, AuthorizationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { UserKube } from '../kube/user-kube.ts';
import { type NamespaceCatalogue, type NamespaceInfo, namespaceInfo } from './namespace-catalogue.ts';
import { userKey } from './user-key.ts';
import type { ScopedNamespace, UserScope } from './user-scope.ts';

export interface ScopeResolverOptions {
  /**
   * Which namespaces exist, for users who may not list namespaces themselves (see namespace-catalogue.ts).
   * Without it such a user is scoped to the namespace of their kubeconfig context, if any.
   */
  namespaceCatalogue?: NamespaceCatalogue;
  /** How long a user's scope is reused; streams and searches then do not ask the apiserver each time. */
  ttlMs?: number;
  /** SelfSubjectAccessReviews in flight at once for one user. */
  concurrency?: number;
  /** Users whose scope is remembered at once; the oldest is forgotten first. */
  maxUsers?: number;
}

/**
 * Computes what a user may see (reference §7.2) with the user's own credentials, so cluster RBAC decides:
 *
 * 1. SelfSubjectAccessReview `list events` (core group) with no namespace: allowed → everything.
 * 2. Otherwise the candidate namespaces are those the user may list themselves; when they may not
 *    (a tenant usually may not: a RoleBinding in `demo` does not grant `list namespaces`), those of the
 *    server-side catalogue; and always the user's kubeconfig-context namespace (local mode).
 *    The namespaces merely seen in audit events are NOT candidates: an event does not say whether the
 *    namespace still exists, nor when it was (re)created, so a re-created namespace would expose its
 *    predecessor's events, and after a restart nothing would be known.
 * 3. Each candidate is kept when a SelfSubjectAccessReview `list events` in it is allowed, with its
 *    creationTimestamp (events from before it stay hidden) and its workspace label.
 *
 * KubeSphere's workspace-scoped grants (WorkspaceRoleBindings) are evaluated by ks-apiserver's own
 * authorizer, which SelfSubjectAccessReview against kube-apiserver cannot ask; so workspace-level and
 * cluster-level events (no namespace) are visible to cluster-wide viewers only.
 */
export class ScopeResolver {
  readonly #options: Required<Omit<ScopeResolverOptions, 'namespaceCatalogue'>> & ScopeResolverOptions;
  readonly #cache = new Map<string, { expiresMs: number; scope: Promise<UserScope> }>();

  constructor(options: ScopeResolverOptions = {}) {
    this.#options = { ttlMs: 30_000, concurrency: 8, maxUsers: 1000, ...options };
  }

  /** The user's scope, from the cache when it is younger than the TTL; concurrent callers share one review. */
  resolve(userKube: UserKube): Promise<UserScope> {
    const key = userKey(userKube);
    const nowMs = Date.now();
    const cached = this.#cache.get(key);
    if (cached && cached.expiresMs > nowMs) return cached.scope;
    const scope = this.#compute(userKube.kubeConfig);
    this.#cache.delete(key);
    this.#cache.set(key, { expiresMs: nowMs + this.#options.ttlMs, scope });
    scope.catch(() => {
      if (this.#cache.get(key)?.scope === scope) this.#cache.delete(key);
    });
    while (this.#cache.size > this.#options.maxUsers) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
    return scope;
  }

  async #compute(kubeConfig: KubeConfig): Promise<UserScope> {
    const authorization = kubeConfig.makeApiClient(AuthorizationV1Api);
    const mayListEvents = async (namespace?: string) => {
      const review = await authorization.createSelfSubjectAccessReview({
        body: { spec: { resourceAttributes: { verb: 'list', group: '', resource: 'events', namespace } } },
      });
      return review.status?.allowed === true;
    };
    if (await mayListEvents()) return { kind: 'all' };

    const candidates = await this.#candidates(kubeConfig);
    const allowed = await mapBounded(candidates, this.#options.concurrency, async (candidate) =>
      (await mayListEvents(candidate.name)) ? candidate : undefined,
    );
    const namespaces: ScopedNamespace[] = allowed
      .filter((candidate): candidate is NamespaceInfo => candidate !== undefined)
      .map(({ name, createdMs, workspace }) => ({ name, sinceMs: createdMs, workspace }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { kind: 'tenant', namespaces };
  }

  async #candidates(kubeConfig: KubeConfig): Promise<NamespaceInfo[]> {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    let listed: NamespaceInfo[] | undefined;
    try {
      listed = (await core.listNamespace()).items.map(namespaceInfo);
    } catch (error) {
      if (!isForbidden(error)) throw error;
    }
    if (!listed && this.#options.namespaceCatalogue) listed = await this.#options.namespaceCatalogue();
    const candidates = new Map((listed ?? []).map((info) => [info.name, info]));

    const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
    if (contextNamespace && !candidates.has(contextNamespace)) {
      try {
        candidates.set(contextNamespace, namespaceInfo(await core.readNamespace({ name: contextNamespace })));
      } catch (error) {
        // Not allowed to read it: the namespace's events are shown from the beginning, as its creation
        // time is unknown. Not found: it does not exist (any more), so it has no current events to show.
        if (isForbidden(error))
          candidates.set(contextNamespace, { name: contextNamespace, createdMs: 0, workspace: '' });
        else if (!(error instanceof ApiException && error.code === 404)) throw error;
      }
    }
    return [...candidates.values()];
  }
}

function isForbidden(error: unknown): boolean {
  return error instanceof ApiException && error.code === 403;
}

async function mapBounded<T, R>(items: T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
