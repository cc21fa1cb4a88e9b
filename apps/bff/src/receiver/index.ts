/**
 * The audit receiver: `POST /audit/webhook/event` for kube-apiserver and ks-apiserver, on its own listener.
 *
 *   const store = await SqliteEventStore.open(join(dataDir, 'archive.sqlite'));   // the BFF owns the store
 *   const receiver = await startReceiver({ ...receiverOptionsFromEnv(process.env), store, kubeConfig, logger });
 *   probes.receiver = receiver.health;                  // ComponentHealth for /api/healthz
 *   new LiveJournal(receiver.liveBus);                  // live events for the SSE stream
 *   receiver.metrics.registry                           // prom-client Registry, also servable on the console port
 *   receiver.ruleStatus(); receiver.receiverStatus(); receiver.stats();   // for the API and the Overview
 *   await receiver.stopWatching();                      // the cluster is about to stop: keep receiving its last batch
 *   await receiver.close();                             // before store.close()
 *
 * Without a cluster, pass `config: staticConfigSource({ webhookSpec, ruleCRs })` and no kubeConfig.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EventStore, startRetention } from '@auditorium/archive';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ComponentHealth } from '../health.ts';
import {
  type AlertDispatcher,
  type AlertDispatcherOptions,
  createAlertDispatcher,
  type ReceiverDeliveryStatus,
} from './alerts/alert-dispatcher.ts';
import { clusterConfigSource } from './cluster-config-watch.ts';
import type { ConfigSource, ReceiverConfig, RuleStatus } from './config-source.ts';
import { intakeRoutes } from './intake-route.ts';
import { createInProcessLiveBus, type LiveBus } from './live-bus.ts';
import { createReceiverMetrics, type ReceiverMetrics } from './metrics.ts';
import { type NamespaceWorkspaces, watchNamespaceWorkspaces } from './namespace-workspaces.ts';
import { createPipeline, type Pipeline } from './pipeline.ts';
import { parseReceiverEnv } from './receiver-env.ts';
import { createReceiverLogger } from './receiver-logger.ts';
import { listen, receiverApp } from './receiver-server.ts';
import { createStatsRecorder, type ReceiverStats } from './receiver-stats.ts';
import { createSenderAuth, type TokenSource, tokenFileSource, tokenSecretSource } from './sender-auth.ts';
import { loadTlsMaterial } from './tls-material.ts';

export type { ReceiverDeliveryStatus } from './alerts/alert-dispatcher.ts';
export type { PostableAlert } from './alerts/postable-alert.ts';
export type { ConfigObjects, ConfigSource, ReceiverConfig, RuleItemStatus, RuleStatus } from './config-source.ts';
export { staticConfigSource } from './config-source.ts';
export type { LiveBus, LiveEvent, LiveMessage, LiveSubscription } from './live-bus.ts';
export { createInProcessLiveBus } from './live-bus.ts';
export type { DropReason, ReceiverMetrics } from './metrics.ts';
export { createReceiverLogger } from './receiver-logger.ts';
export type { ReceiverStats } from './receiver-stats.ts';

export interface ReceiverOptions {
  /** The archive; opened and closed by the caller, which also serves queries from it. */
  store: EventStore;
  /** The receiver's own identity for watching Webhook/Rule CRs, namespaces and the token Secret. */
  kubeConfig?: KubeConfig;
  /** Where settings and rules come from; defaults to watching the cluster through `kubeConfig`. */
  config?: ConfigSource;
  /** Namespace → workspace for kube-apiserver events; defaults to a namespace watch through `kubeConfig`. */
  workspaceOf?: (namespace: string) => string | undefined;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 6443; 0 picks a free port. */
  port?: number;
  /** `false` serves plain HTTP. Without files a CA and serving certificate are generated under dataDir. */
  tls?: false | { certFile?: string; keyFile?: string; extraNames?: string[] };
  /** Default `.auditorium`; generated TLS material goes to `<dataDir>/receiver/`. */
  dataDir?: string;
  tokenFile?: string;
  /** `namespace/name` of a Secret whose `token` key is the bearer token. */
  tokenSecret?: string;
  /** PEM file of the CA that signs accepted client certificates. */
  clientCaFile?: string;
  /** Largest body, before and after decompression. Default 32 MiB. */
  maxBodyBytes?: number;
  /** Uncommitted events above which intake answers 429. Default 50 000. */
  maxPendingEvents?: number;
  /**
   * Prune archived events received longer ago than this, now and then hourly. Unset or 0: keep everything
   * (the environment's ARCHIVE_RETENTION_DAYS defaults to 7 days, KubeSphere's curator default).
   */
  retentionMs?: number;
  /** Print KubeSphere's archive line per archived event (true: to stdout), for fluent-bit pipelines. */
  archiveStdout?: boolean | ((text: string) => void);
  liveBus?: LiveBus;
  logger?: Logger;
  /** Alert delivery tuning (queue size, retries, backoff). */
  alertDelivery?: Omit<AlertDispatcherOptions, 'metrics'>;
  /** Add Node process metrics to the receiver's registry. */
  processMetrics?: boolean;
}

export interface Receiver {
  server: import('@hono/node-server').ServerType;
  /** The intake base URL actually bound, e.g. `https://127.0.0.1:6443`. */
  url: string;
  port: number;
  /** PEM of the generated CA, when the receiver generated its certificate (senders may trust it). */
  caCertificate: string | undefined;
  pipeline: Pipeline;
  liveBus: LiveBus;
  metrics: ReceiverMetrics;
  /** Ready means: configuration loaded, archive committing, listener open. Never throws. */
  health(): ComponentHealth;
  ruleStatus(): RuleStatus | undefined;
  receiverStatus(): ReceiverDeliveryStatus[];
  stats(): ReceiverStats;
  /**
   * Stops watching the cluster (Webhook, Rules, namespaces, the token Secret) and goes on receiving with what
   * was last loaded. For a cluster that is about to stop: its kube-apiserver sends a last audit batch as it
   * goes, and watches would only log that it is gone.
   */
  stopWatching(): Promise<void>;
  close(): Promise<void>;
}

/** Options from the environment (README "Configuration"); throws naming the bad variable. */
export function receiverOptionsFromEnv(
  env: Record<string, string | undefined>,
): Omit<ReceiverOptions, 'store' | 'kubeConfig'> {
  const parsed = parseReceiverEnv(env);
  return {
    host: parsed.HOST,
    port: parsed.RECEIVER_PORT,
    dataDir: parsed.DATA_DIR,
    tls: parsed.RECEIVER_TLS
      ? {
          ...(parsed.RECEIVER_TLS_CERT ? { certFile: parsed.RECEIVER_TLS_CERT } : {}),
          ...(parsed.RECEIVER_TLS_KEY ? { keyFile: parsed.RECEIVER_TLS_KEY } : {}),
          extraNames: parsed.RECEIVER_TLS_SANS,
        }
      : false,
    ...(parsed.RECEIVER_TOKEN_FILE ? { tokenFile: parsed.RECEIVER_TOKEN_FILE } : {}),
    ...(parsed.RECEIVER_TOKEN_SECRET ? { tokenSecret: parsed.RECEIVER_TOKEN_SECRET } : {}),
    ...(parsed.RECEIVER_CLIENT_CA_FILE ? { clientCaFile: parsed.RECEIVER_CLIENT_CA_FILE } : {}),
    maxBodyBytes: parsed.RECEIVER_MAX_BODY_BYTES,
    maxPendingEvents: parsed.RECEIVER_MAX_PENDING_EVENTS,
    archiveStdout: parsed.ARCHIVE_STDOUT,
    retentionMs: parsed.ARCHIVE_RETENTION_DAYS * 86_400_000,
  };
}

function tokenSource(options: ReceiverOptions): TokenSource | undefined {
  if (options.tokenFile && options.tokenSecret) {
    throw new Error('set RECEIVER_TOKEN_FILE or RECEIVER_TOKEN_SECRET, not both');
  }
  if (options.tokenFile) return tokenFileSource(options.tokenFile);
  if (options.tokenSecret) {
    if (!options.kubeConfig) throw new Error('RECEIVER_TOKEN_SECRET needs a kubeconfig to read the Secret');
    return tokenSecretSource(options.kubeConfig, options.tokenSecret);
  }
  return undefined;
}

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const logger = options.logger?.child({ component: 'receiver' }) ?? createReceiverLogger();
  const { store } = options;
  const dataDir = options.dataDir ?? '.auditorium';
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  /** The cluster watches, stopped by `stopWatching` or else with everything else; once either way. */
  const watchStops: Array<() => Promise<void> | void> = [];
  let watchesStopped: Promise<void> | undefined;
  const stopWatches = () => {
    watchesStopped ??= Promise.all(watchStops.map((stop) => stop())).then(() => {});
    return watchesStopped;
  };
  cleanups.push(stopWatches);

  try {
    const metrics = createReceiverMetrics({
      archiveQueueDepth: () => store.pendingEvents(),
      ...(options.processMetrics ? { processMetrics: true } : {}),
    });
    const stats = createStatsRecorder();
    const liveBus =
      options.liveBus ?? createInProcessLiveBus({ onDropped: (count) => metrics.liveEventsDropped.inc(count) });
    if (!options.liveBus) cleanups.push(() => liveBus.close());

    const onWatchError = (message: string) => logger.warn(message);
    let config = options.config;
    if (!config) {
      if (!options.kubeConfig) throw new Error('the receiver needs a kubeConfig or a config source');
      config = clusterConfigSource(options.kubeConfig, { onError: onWatchError });
    }
    const configSource = config;
    watchStops.push(() => configSource.close());

    let workspaces: NamespaceWorkspaces | undefined;
    if (!options.workspaceOf && options.kubeConfig) {
      workspaces = watchNamespaceWorkspaces(options.kubeConfig, onWatchError);
      const watched = workspaces;
      watchStops.push(() => watched.stop());
    }
    const workspaceOf = options.workspaceOf ?? workspaces?.workspaceOf;

    const alerts: AlertDispatcher = createAlertDispatcher({
      ...options.alertDelivery,
      metrics,
      onError: (message) => logger.warn(message),
    });
    cleanups.push(() => alerts.close());

    const applyConfig = (loaded: ReceiverConfig) => {
      alerts.setReceivers(loaded.settings.receivers);
      metrics.ruleLoadErrors.set(loaded.status.errors.length);
      metrics.configReloads.inc();
      for (const error of loaded.status.errors) {
        const where = [error.namespace, error.ruleCR, error.item].filter(Boolean).join('/');
        logger.warn({ rule: where || undefined }, `rule not loaded: ${error.reason}`);
      }
      logger.info(
        { rules: loaded.rules.length, errors: loaded.status.errors.length, webhookFound: loaded.status.webhook.found },
        'receiver configuration loaded',
      );
    };
    const current = configSource.current();
    if (current) applyConfig(current);
    const unsubscribe = configSource.subscribe(applyConfig);
    cleanups.push(unsubscribe);

    const tokens = tokenSource(options);
    const auth = createSenderAuth({
      ...(tokens ? { tokens } : {}),
      clientCertificates: Boolean(options.clientCaFile),
    });
    watchStops.push(() => auth.close());

    if (options.retentionMs) {
      const maxAgeDays = options.retentionMs / 86_400_000;
      const stopRetention = startRetention(store, {
        maxAgeMs: options.retentionMs,
        onPruned: (deleted) => {
          metrics.eventsPruned.inc(deleted);
          if (deleted > 0) logger.info({ deleted, maxAgeDays }, 'pruned archived events past retention');
        },
        onError: (error) => logger.warn({ err: error }, 'archive retention failed; retrying at the next run'),
      });
      cleanups.push(stopRetention);
    }

    const archiveStdout = options.archiveStdout;
    const pipeline = createPipeline({
      store,
      config: configSource,
      liveBus,
      alerts,
      metrics,
      stats,
      maxPendingEvents: options.maxPendingEvents ?? 50_000,
      ...(archiveStdout === true
        ? { writeArchiveLines: (text: string) => process.stdout.write(text) }
        : typeof archiveStdout === 'function'
          ? { writeArchiveLines: archiveStdout }
          : {}),
    });

    const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;
    const intake = intakeRoutes({
      auth,
      pipeline,
      maxBodyBytes,
      ...(workspaceOf ? { workspaceOf } : {}),
      metrics,
      stats,
      logger,
    });

    let closed = false;
    let listeningUrl: string | undefined;
    const health = (): ComponentHealth => {
      if (closed) return { state: 'down', reason: 'the receiver is stopped' };
      const configHealth = configSource.health();
      const archiveError = pipeline.archiveError();
      const detail = {
        url: listeningUrl,
        eventsPerSecond: stats.snapshot().eventsPerSecond,
        archiveQueueDepth: store.pendingEvents(),
        ruleErrors: configSource.current()?.status.errors.length ?? 0,
      };
      if (configHealth.state !== 'ok') return { ...configHealth, detail: { ...detail, ...configHealth.detail } };
      if (archiveError) {
        return { state: 'degraded', reason: `the last archive commit failed: ${archiveError.message}`, detail };
      }
      return { state: 'ok', detail };
    };

    const tls =
      options.tls === false
        ? undefined
        : await loadTlsMaterial({
            ...(options.tls?.certFile ? { certFile: options.tls.certFile } : {}),
            ...(options.tls?.keyFile ? { keyFile: options.tls.keyFile } : {}),
            directory: join(dataDir, 'receiver'),
            extraNames: options.tls?.extraNames ?? [],
          });
    const clientCa = options.clientCaFile ? readFileSync(options.clientCaFile, 'utf8') : undefined;
    if (clientCa && !tls) throw new Error('client-certificate checks need TLS');

    const app = receiverApp({ intake, registry: metrics.registry, readiness: health, logger });
    const listener = await listen(app, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 6443,
      ...(tls ? { tls: { cert: tls.cert, key: tls.key, ...(clientCa ? { clientCa } : {}) } } : {}),
    });
    cleanups.push(() => listener.close());
    listeningUrl = listener.url;
    logger.info(
      {
        url: `${listener.url}/audit/webhook/event`,
        tls: tls?.origin ?? 'off',
        auth: auth.enabled ? 'on' : 'off',
      },
      'audit receiver listening',
    );

    return {
      server: listener.server,
      url: listener.url,
      port: listener.port,
      caCertificate: tls?.ca,
      pipeline,
      liveBus,
      metrics,
      health,
      ruleStatus: () => configSource.current()?.status,
      receiverStatus: () => alerts.receiverStatus(),
      stats: () => stats.snapshot(),
      stopWatching: stopWatches,
      async close() {
        if (closed) return;
        closed = true;
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
