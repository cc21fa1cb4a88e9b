import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EventStore, SqliteEventStore } from '@auditorium/archive';
import { serve } from '@hono/node-server';
import packageJson from '../../../package.json' with { type: 'json' };
import { createApp } from './app.ts';
import { componentProbes } from './component-probes.ts';
import { clusterAccessFromEnvironment } from './kube/cluster-access.ts';
import { readControlPlaneHealth } from './kube/control-plane-state.ts';
import { createLogger } from './middleware/logger.ts';
import { type Receiver, receiverOptionsFromEnv, startReceiver } from './receiver/index.ts';
import type { SecureCookies } from './session/session-cookie.ts';
import { MemorySessionStore } from './session/session-store.ts';
import { SignInCodes, signInLink } from './session/sign-in-link.ts';
import { archiveTrafficSource } from './setup/archive-traffic.ts';
import { LiveJournal } from './stream/live-journal.ts';

// The server's entry: reads the environment, opens the archive, starts the receiver, and opens the
// console listener. Everything else lives in app.ts (routes) and receiver/ (intake), so tests run both
// without ports. The cluster is whatever KUBECONFIG (local mode) or the pod's config (in-cluster) names.

const env = process.env;
const here = dirname(fileURLToPath(import.meta.url));
const consoleDir = resolve(env.CONSOLE_DIR ?? join(here, '../../console/dist'));
const dataDir = resolve(env.DATA_DIR ?? '.auditorium');
const host = env.HOST ?? '127.0.0.1';
const port = Number(env.PORT ?? 8080);
const logger = createLogger();

function say(line: string) {
  process.stdout.write(`auditorium: ${line}\n`);
}

function secureCookies(value: string | undefined): SecureCookies {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return 'auto';
}

/** A positive number of `unitMs` from the environment, else the fallback. */
function duration(value: string | undefined, unitMs: number, fallback: number): number {
  const parsed = Number(value);
  return (Number.isFinite(parsed) && parsed > 0 ? parsed : fallback) * unitMs;
}

const cluster = clusterAccessFromEnvironment(env);

let store: EventStore | undefined;
let receiver: Receiver | undefined;
let archiveFailure = '';
let receiverFailure = '';
try {
  mkdirSync(dataDir, { recursive: true });
  store = await SqliteEventStore.open(join(dataDir, 'archive.sqlite'));
} catch (error) {
  archiveFailure = `the archive could not be opened: ${error instanceof Error ? error.message : String(error)}`;
  logger.error(archiveFailure);
}
if (store && cluster.mode !== 'unavailable') {
  try {
    receiver = await startReceiver({
      ...receiverOptionsFromEnv(env),
      store,
      kubeConfig: cluster.serverKubeConfig,
      logger,
    });
    say(`receiver: ${receiver.url}/audit/webhook/event`);
  } catch (error) {
    receiverFailure = `the receiver did not start: ${error instanceof Error ? error.message : String(error)}`;
    logger.error(receiverFailure);
  }
} else {
  receiverFailure =
    cluster.mode === 'unavailable'
      ? `no cluster to read the receiver's configuration from: ${cluster.reason}`
      : 'the archive is not open';
}
const probes = componentProbes({
  consoleDir,
  cluster,
  archive: store ? { store } : { failed: archiveFailure },
  receiver: receiver ? { receiver } : { failed: receiverFailure },
});

// The console's live stream reads a numbered journal of the receiver's bus, so a reconnect resumes.
const journal = receiver ? new LiveJournal(receiver.liveBus) : undefined;

// Local mode: a printed, single-use sign-in link acts as the kubeconfig's own identity (Jupyter-style).
const signInCodes = cluster.mode === 'local' ? new SignInCodes() : undefined;
const consoleUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
function printSignInLink(prefix: string) {
  if (signInCodes) say(`${prefix} ${signInLink(consoleUrl, signInCodes.mint())}`);
}

const sessions = new MemorySessionStore({
  idleMs: duration(env.SESSION_IDLE_MINUTES, 60_000, 60),
  absoluteMs: duration(env.SESSION_MAX_HOURS, 3_600_000, 12),
});

const app = createApp({
  version: packageJson.version,
  consoleDir,
  probes,
  // Set by whatever runs the control plane beside us (the launcher, for the local cluster).
  healthGroups: env.CONTROL_PLANE_STATE_FILE ? [() => readControlPlaneHealth(env.CONTROL_PLANE_STATE_FILE!)] : [],
  cluster,
  sessions,
  signInCodes,
  onSignInLinkUsed: () => printSignInLink('sign-in link used; for another browser:'),
  secureCookies: secureCookies(env.SECURE_COOKIES),
  allowedOrigins: env.ALLOWED_ORIGINS?.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean),
  logger,
  receiverCaFile: env.RECEIVER_CA_FILE,
  traffic: store ? archiveTrafficSource(store) : undefined,
  eventStore: store,
  journal,
  pipelineStats: receiver ? () => receiver!.stats() : undefined,
  ruleStatus: receiver ? () => receiver!.ruleStatus() : undefined,
  clusterName: env.CLUSTER_NAME,
});

const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
  say(`console: http://${host}:${info.port}/`);
  if (cluster.mode === 'unavailable') say(`no cluster: ${cluster.reason}`);
  else say(`cluster: ${cluster.server} (${cluster.mode} mode)`);
  if (cluster.mode === 'local' && !['127.0.0.1', '::1', 'localhost'].includes(host)) {
    say(`warning: local mode listens on ${host}; anyone who can reach it may sign in with a token`);
  }
  printSignInLink('sign in:');
  // Started by the launcher (an IPC channel): say so, so it knows when it may ask for a fresh link.
  process.send?.({ type: 'serving' });
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close();
  journal?.close();
  await receiver?.close().catch((error: unknown) => logger.error({ err: error }, 'receiver close failed'));
  await store?.close().catch((error: unknown) => logger.error({ err: error }, 'archive close failed'));
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
// Ctrl-C reaches the whole foreground group. Started by a launcher (an IPC channel), we leave it to the
// launcher, which stops us after the cluster it runs: kube-apiserver's last audit batch still has a receiver.
if (process.connected) process.on('SIGINT', () => {});
else process.once('SIGINT', () => void shutdown());
// A fresh sign-in link on request: `kill -USR2 <pid>`, or the launcher's message once the local cluster is
// ready (the first link has scrolled away behind the cluster's start-up lines by then).
process.on('SIGUSR2', () => printSignInLink('sign in:'));
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'sign-in-link') printSignInLink('sign in:');
  // The launcher is about to stop the cluster it runs, then us: take in its last audit batch, quietly.
  if (message?.type === 'cluster-stopping') void receiver?.stopWatching();
});
// The launcher is gone (even by kill -9): a server nobody started any more does not linger.
process.on('disconnect', () => void shutdown());
