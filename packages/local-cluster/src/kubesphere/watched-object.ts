// One named object kept current through client-node's ListWatch (list by field selector, then watch; a 410 re-lists
// inside ListWatch). ListWatch stops on any other failure (apiserver restarting, CRD missing); this restarts it
// with backoff. The BFF has a fuller cache of this kind (apps/bff/src/receiver/watched-resource.ts) that the
// local cluster cannot import; this is the one-object subset the stand-ins need.
import { auditingGroup, auditingVersion, webhookPlural } from '@auditorium/audit-model';
import {
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';

export interface WatchedObject<T extends KubernetesObject> {
  current(): T | undefined;
  /** Resolves after the first successful list. */
  synced: Promise<void>;
  stop(): Promise<void>;
}

export interface WatchedObjectOptions<T extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** The collection's path, e.g. /apis/apps/v1/namespaces/kubesphere-system/deployments. */
  path: string;
  name: string;
  list: (fieldSelector: string) => Promise<KubernetesListObject<T>>;
  /** After every change, including a re-list that finds the object gone. */
  onChange?: (object: T | undefined) => void;
  onError?: (message: string) => void;
}

export function watchObject<T extends KubernetesObject>(options: WatchedObjectOptions<T>): WatchedObject<T> {
  const fieldSelector = `metadata.name=${options.name}`;
  const listWatch = new ListWatch<T>(
    options.path,
    new Watch(options.kubeConfig),
    () => options.list(fieldSelector),
    false,
    undefined,
    fieldSelector,
  );
  let stopped = false;
  let backoffMs = 1000;
  let timer: NodeJS.Timeout | undefined;
  let failedDuringStart = false;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => {
    markSynced = resolve;
  });
  let latest: T | undefined;

  // The callbacks' own argument, not current(): ListWatch calls delete callbacks before it drops the object.
  const changed = (object: T | undefined) => {
    backoffMs = 1000;
    latest = object;
    options.onChange?.(object);
  };
  listWatch.on('add', (object) => changed(object));
  listWatch.on('update', (object) => changed(object));
  listWatch.on('delete', () => changed(undefined));
  listWatch.on('error', (error: unknown) => {
    failedDuringStart = true;
    // stop() aborts the open watch, which ListWatch reports as an error too.
    if (stopped) return;
    options.onError?.(error instanceof Error ? error.message : String(error));
    clearTimeout(timer);
    timer = setTimeout(() => void start(), backoffMs);
    timer.unref();
    backoffMs = Math.min(backoffMs * 2, 30_000);
  });

  async function start(): Promise<void> {
    failedDuringStart = false;
    await listWatch.start();
    if (!failedDuringStart && !stopped) markSynced();
  }
  void start();

  return {
    current: () => latest,
    synced,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await listWatch.stop();
    },
  };
}

/** The Webhook CR of that name (cluster-scoped), as ks-apiserver and the operator both watch it. */
export function watchWebhook<T extends KubernetesObject>(
  kubeConfig: KubeConfig,
  name: string,
  handlers: Pick<WatchedObjectOptions<T>, 'onChange' | 'onError'>,
): WatchedObject<T> {
  const customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
  return watchObject<T>({
    kubeConfig,
    path: `/apis/${auditingGroup}/${auditingVersion}/${webhookPlural}`,
    name,
    list: async (fieldSelector) =>
      (await customObjects.listClusterCustomObject({
        group: auditingGroup,
        version: auditingVersion,
        plural: webhookPlural,
        fieldSelector,
      })) as KubernetesListObject<T>,
    ...handlers,
  });
}
