import {
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import { kubeStatus } from '../kube/kube-errors.ts';

/**
 * A cache of one kind of Kubernetes object kept current by client-node's ListWatch: list, then watch from
 * the list's resourceVersion; a 410 Gone re-lists (ListWatch does that itself). What ListWatch leaves to
 * its user is a failed list or watch (apiserver down, RBAC, CRD missing): it reports the error and stops.
 * This wrapper restarts it with exponential backoff (1 s doubling to 30 s, reset once it is healthy again)
 * and keeps the last error for status pages.
 */
export interface WatchedResource<T extends KubernetesObject> {
  list(): ReadonlyArray<T>;
  get(name: string, namespace?: string): T | undefined;
  /** True once the first list has completed; stays true across later reconnects (the cache is still good). */
  synced(): boolean;
  /** Resolves at the first successful list. */
  whenSynced(): Promise<void>;
  lastError(): { message: string; at: string } | undefined;
  /** Called after every add, update or delete, including those a re-list finds. */
  onChange(listener: () => void): () => void;
  stop(): Promise<void>;
}

export interface WatchedResourceOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** The watch path, e.g. `/apis/auditing.kubesphere.io/v1alpha1/rules`. */
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  fieldSelector?: string;
  /** For messages: `Rule CRs`, `namespaces`. */
  description: string;
  onError?: (message: string) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long after creation the retries of a never-synced watch stay at most `startupMaxBackoffMs` apart. */
  startupMs?: number;
  /** Default 2 s. */
  startupMaxBackoffMs?: number;
}

/** One line a person can act on: the Kubernetes Status message when there is one, not client-node's dump. */
export function errorMessage(error: unknown): string {
  const status = kubeStatus(error);
  if (status) return `${status.message} (HTTP ${status.code})`;
  if (error instanceof Error) {
    const code = (error as { statusCode?: number; code?: number }).statusCode ?? (error as { code?: number }).code;
    return typeof code === 'number' && !error.message.includes(String(code))
      ? `${error.message} (HTTP ${code})`
      : error.message;
  }
  return String(error);
}

export function watchResource<T extends KubernetesObject>(options: WatchedResourceOptions<T>): WatchedResource<T> {
  const initialBackoffMs = options.initialBackoffMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  // A server started beside its cluster meets it still booting (refused, then 403 until the RBAC is
  // applied): in its first half minute the retries stay at most 2 s apart, so the configuration loads
  // soon after the cluster can serve it instead of up to 30 s later.
  const startupMs = options.startupMs ?? 30_000;
  const startupMaxBackoffMs = Math.min(maxBackoffMs, options.startupMaxBackoffMs ?? 2_000);
  const createdAt = Date.now();
  const listWatch = new ListWatch<T>(
    options.path,
    new Watch(options.kubeConfig),
    options.list,
    false,
    undefined,
    options.fieldSelector,
  );
  const listeners = new Set<() => void>();
  let isSynced = false;
  let resolveSynced: () => void = () => {};
  const syncedPromise = new Promise<void>((resolve) => {
    resolveSynced = resolve;
  });
  let failure: { message: string; at: string } | undefined;
  let backoffMs = initialBackoffMs;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failedDuringStart = false;

  const changed = () => {
    // A successful event means the connection works again: the next failure starts the backoff afresh.
    backoffMs = initialBackoffMs;
    failure = undefined;
    for (const listener of listeners) listener();
  };
  listWatch.on('change', changed);

  listWatch.on('error', (error: unknown) => {
    failedDuringStart = true;
    // stop() aborts the open watch, which ListWatch reports as an error: nothing failed.
    if (stopped) return;
    failure = { message: `watching ${options.description}: ${errorMessage(error)}`, at: new Date().toISOString() };
    options.onError?.(failure.message);
    clearTimeout(restartTimer);
    restartTimer = setTimeout(() => void start(), backoffMs);
    restartTimer.unref();
    const inStartup = !isSynced && Date.now() - createdAt < startupMs;
    backoffMs = Math.min(backoffMs * 2, inStartup ? startupMaxBackoffMs : maxBackoffMs);
  });

  async function start(): Promise<void> {
    if (stopped) return;
    failedDuringStart = false;
    // start() resolves once the list is done and the watch request is open, or after the error handler
    // has run for a failed list; only the former counts as synced.
    await listWatch.start();
    if (!failedDuringStart && !stopped && !isSynced) {
      isSynced = true;
      failure = undefined;
      resolveSynced();
      for (const listener of listeners) listener();
    }
  }
  void start();

  return {
    list: () => listWatch.list(),
    get: (name, namespace) => listWatch.get(name, namespace),
    synced: () => isSynced,
    whenSynced: () => syncedPromise,
    lastError: () => failure,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      listeners.clear();
      await listWatch.stop();
    },
  };
}
