import { failureStatus, isStatus, type Status } from '@auditorium/audit-model';
import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { kubeStatus, reasonForCode } from './kube-errors.ts';
import type { KubeObject } from './kube-object.ts';

/**
 * Watches one object (a collection watch with `fieldSelector=metadata.name=…`) from a resourceVersion,
 * as the user. client-node's Watch gives up after 30 s without data, so a quiet object is re-watched from
 * the last version seen; the watch ends only on `stop()`, on an ERROR event (e.g. 410 Gone when the
 * version is too old: reload) or on a failure to (re)connect.
 */
export type ObjectWatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'ERROR'; status: Status };

export interface ObjectWatchOptions {
  kubeConfig: KubeConfig;
  collectionPath: string;
  name: string;
  resourceVersion: string;
  onEvent: (event: ObjectWatchEvent) => void;
  /** Called once when the watch has ended for good (not on stop()). */
  onEnd: () => void;
}

function watchFailure(error: unknown): Status {
  const fromKube = kubeStatus(error);
  if (fromKube) return fromKube;
  const code = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof code === 'number') {
    const message = error instanceof Error ? error.message : `HTTP ${code}`;
    return failureStatus(code, reasonForCode(code), `The watch was refused: ${message}`);
  }
  return failureStatus(
    503,
    'ServiceUnavailable',
    `The watch ended: ${error instanceof Error ? error.message : String(error)}`,
  );
}

export function watchObject(options: ObjectWatchOptions): { stop: () => void } {
  let resourceVersion = options.resourceVersion;
  let controller: AbortController | undefined;
  let stopped = false;
  let ended = false;
  const end = () => {
    if (ended || stopped) return;
    ended = true;
    controller?.abort();
    options.onEnd();
  };

  const start = async () => {
    if (stopped || ended) return;
    const startedAt = Date.now();
    let receivedError = false;
    try {
      controller = await new Watch(options.kubeConfig).watch(
        options.collectionPath,
        { fieldSelector: `metadata.name=${options.name}`, resourceVersion, allowWatchBookmarks: true },
        (type: string, object: unknown) => {
          if (stopped || ended) return;
          if (type === 'ERROR') {
            receivedError = true;
            options.onEvent({
              type: 'ERROR',
              status: isStatus(object) ? object : failureStatus(500, 'InternalError', 'The watch sent an error.'),
            });
            end();
            return;
          }
          const version = (object as KubeObject | undefined)?.metadata?.resourceVersion;
          if (version) resourceVersion = version;
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
            options.onEvent({ type, object: object as KubeObject });
          }
        },
        (error: unknown) => {
          if (stopped || ended || receivedError) return;
          const quiet = error === null || error === undefined || (error as Error).name === 'TimeoutError';
          if (quiet) {
            // A watch that closes at once (rather than after the idle timeout) is retried gently.
            const wait = Date.now() - startedAt < 1000 ? 1000 : 0;
            setTimeout(() => void start(), wait).unref();
            return;
          }
          options.onEvent({ type: 'ERROR', status: watchFailure(error) });
          end();
        },
      );
      if (stopped) controller.abort();
    } catch (error) {
      options.onEvent({ type: 'ERROR', status: watchFailure(error) });
      end();
    }
  };
  void start();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}
