// Runs the ks-apiserver stand-in (ks-apiserver-main.ts) as a child process and ties its life to the seeded Deployment
// kubesphere-system/ks-apiserver, whose pods are kwok's fakes: a change of the Deployment's pod template (`kubectl
// rollout restart` sets the kubectl.kubernetes.io/restartedAt annotation there; the console's restart button does
// the same) restarts the process, so it reads kubesphere.yaml again, as the new pod of a real rollout would; scaling
// the Deployment to 0 stops it and scaling it up starts it. A crash is restarted with backoff.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import type { ClusterLayout } from '../layout.ts';
import { writeFileAtomic } from '../pki.ts';
import { freePort, isPortFree } from '../ports.ts';
import { expectOk } from '../probe.ts';
import { ChildProcess, killStale, logTail } from '../process.ts';
import { errorText } from '../seed.ts';
import { KS_APISERVER_ACCOUNT, serviceAccountToken } from './identities.ts';
import { type WatchedObject, watchObject } from './watched-object.ts';

const ENTRY = fileURLToPath(new URL('./ks-apiserver-main.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const RESTART_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];
/** A stand-in that served this long before crashing starts its backoff afresh. */
const STABLE_AFTER_MS = 60_000;

export type StandInPhase = 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped';

export interface StandInState {
  phase: StandInPhase;
  reason?: string;
  pid?: number;
  restarts: number;
}

export interface KsApiserverProcessOptions {
  layout: ClusterLayout;
  /** kube-apiserver's URL and CA. */
  server: string;
  caPem: string;
  /** A system:masters identity: asks for the ServiceAccount token. */
  bootstrap: KubeConfig;
  /** Names the log, pid, port and token files (several instances may share a data directory, as tests do). */
  instance?: string;
  /** Where to listen; by default the port this instance had last time if still free, else a free one. */
  port?: number;
  deployment?: { namespace: string; name: string };
  /** namespace/name of the kubesphere.yaml ConfigMap, default kubesphere-system/kubesphere-config. */
  kubesphereConfig?: string;
  webhookName?: string;
  onState?: (state: StandInState) => void;
  log?: (line: string) => void;
}

/**
 * JSON with sorted keys: a listed Deployment comes through client-node's typed models and a watched one as plain
 * JSON, so the same template arrives with its keys in another order.
 */
function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The part of the Deployment whose change makes a rollout: its pod template. */
function templateHash(deployment: V1Deployment | undefined): string {
  return createHash('sha256')
    .update(canonicalJson(deployment?.spec?.template ?? null))
    .digest('hex');
}

function wantedRunning(deployment: V1Deployment | undefined): boolean {
  // No Deployment (someone deleted it): keep serving; the seed puts it back on the next start.
  return deployment === undefined || (deployment.spec?.replicas ?? 1) > 0;
}

export class KsApiserverProcess extends EventEmitter<{ state: [StandInState] }> {
  readonly options: KsApiserverProcessOptions;
  readonly instance: string;
  #port = 0;
  #child: ChildProcess | null = null;
  #state: StandInState = { phase: 'stopped', restarts: 0 };
  #deployment: WatchedObject<V1Deployment> | null = null;
  #template = '';
  #generation = -1;
  #stopping = false;
  #crashStep = 0;
  #crashTimer: NodeJS.Timeout | null = null;
  #readyAt: number | null = null;
  /** One start, stop or restart at a time. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: KsApiserverProcessOptions) {
    super();
    this.options = options;
    this.instance = options.instance ?? 'ks-apiserver';
  }

  get url(): string {
    return `https://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  get state(): StandInState {
    return { ...this.#state };
  }

  get logFile(): string {
    return join(this.options.layout.logsDir, `${this.instance}.log`);
  }

  #files() {
    const { runDir } = this.options.layout;
    return {
      pid: join(runDir, `${this.instance}.pid`),
      port: join(runDir, `${this.instance}.port`),
      token: join(runDir, `${this.instance}.token`),
    };
  }

  #set(phase: StandInPhase, extra: { reason?: string; pid?: number } = {}): void {
    this.#state = { phase, restarts: this.#state.restarts, ...extra };
    this.options.onState?.(this.state);
    this.emit('state', this.state);
  }

  #log(line: string): void {
    this.options.log?.(line);
  }

  async #choosePort(): Promise<number> {
    if (this.options.port) return this.options.port;
    const file = this.#files().port;
    const previous = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
    const port = previous > 0 && (await isPortFree(previous)) ? previous : await freePort();
    writeFileAtomic(file, `${port}\n`);
    return port;
  }

  /** Picks the port (so `url` is known before the process serves) and stops a leftover of an earlier run. */
  async prepare(): Promise<void> {
    if (this.#port) return;
    const leftover = await killStale(this.#files().pid);
    if (leftover !== null) this.#log(`stopped ${this.instance} (pid ${leftover}) left over from an earlier run`);
    this.#port = await this.#choosePort();
  }

  /** Starts the process and the Deployment watch; resolves when the stand-in serves. */
  async start(): Promise<void> {
    await this.prepare();
    const { namespace, name } = this.options.deployment ?? { namespace: 'kubesphere-system', name: 'ks-apiserver' };
    const apps = this.options.bootstrap.makeApiClient(AppsV1Api);
    this.#deployment = watchObject<V1Deployment>({
      kubeConfig: this.options.bootstrap,
      path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
      name,
      list: (fieldSelector) => apps.listNamespacedDeployment({ namespace, fieldSelector }),
      onChange: (deployment) => this.#onDeployment(deployment),
      onError: (message) => this.#log(`watching Deployment ${namespace}/${name}: ${message}`),
    });
    await this.#deployment.synced;
    const deployment = this.#deployment.current();
    this.#template = templateHash(deployment);
    this.#generation = deployment?.metadata?.generation ?? -1;
    if (wantedRunning(deployment)) {
      await this.#enqueue(() => this.#spawn()).catch((error: unknown) => {
        // Keep trying in the background (kube-apiserver may be restarting); the caller hears of the failure.
        if (!this.#stopping) this.#scheduleRestart(`${this.instance} did not start: ${errorText(error)}`);
        throw error;
      });
    } else {
      this.#set('stopped', { reason: `Deployment ${namespace}/${name} is scaled to 0` });
    }
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(step);
    this.#queue = next.catch(() => {});
    return next;
  }

  #onDeployment(deployment: V1Deployment | undefined): void {
    if (this.#stopping || !this.#template) return;
    // Status updates (every pod the rollout starts or stops) leave the generation alone; only spec changes count.
    const generation = deployment?.metadata?.generation ?? -1;
    if (generation === this.#generation) return;
    this.#generation = generation;
    const template = templateHash(deployment);
    const running = this.#child?.running === true;
    const wanted = wantedRunning(deployment);
    const rollout = template !== this.#template;
    this.#template = template;
    const { namespace, name } = this.options.deployment ?? { namespace: 'kubesphere-system', name: 'ks-apiserver' };
    if (!wanted && running) {
      this.#log(`Deployment ${namespace}/${name} scaled to 0: stopping ${this.instance}`);
      void this.#enqueue(async () => {
        await this.#terminate();
        this.#set('stopped', { reason: `Deployment ${namespace}/${name} is scaled to 0` });
      });
    } else if (wanted && (!running || rollout)) {
      this.#log(
        rollout
          ? `Deployment ${namespace}/${name} rolled out a new pod template: restarting ${this.instance}`
          : `Deployment ${namespace}/${name} scaled up: starting ${this.instance}`,
      );
      if (this.#crashTimer) clearTimeout(this.#crashTimer);
      this.#crashTimer = null;
      void this.#enqueue(async () => {
        await this.#terminate();
        if (rollout) this.#state.restarts += 1;
        await this.#spawn();
      }).catch((error: unknown) => {
        if (!this.#stopping) this.#scheduleRestart(`${this.instance} did not start: ${errorText(error)}`);
      });
    }
  }

  async #spawn(): Promise<void> {
    // Stopping, or already running (a crash restart and a rollout can both ask).
    if (this.#stopping || this.#child?.running) return;
    const { layout, server, caPem, bootstrap } = this.options;
    const files = this.#files();
    // A fresh token each start, as a new pod gets one.
    writeFileAtomic(files.token, `${await serviceAccountToken(bootstrap, KS_APISERVER_ACCOUNT)}\n`, 0o600);
    const child = new ChildProcess({
      name: this.instance,
      binary: process.execPath,
      args: [
        // A small young generation: the stand-in is idle most of the time, and this keeps its RSS ~20 MB lower.
        '--max-semi-space-size=1',
        ENTRY,
        `--kube-apiserver=${server}`,
        `--ca-file=${layout.caCert}`,
        `--token-file=${files.token}`,
        // The components' serving pair: signed by the cluster CA for 127.0.0.1, so the cluster's kubeconfig
        // (its CA embedded) trusts the stand-in as it trusts kube-apiserver.
        `--tls-cert-file=${layout.componentsCert}`,
        `--tls-private-key-file=${layout.componentsKey}`,
        `--port=${this.#port}`,
        `--receiver-ca-file=${layout.receiverCa}`,
        ...(this.options.kubesphereConfig ? [`--kubesphere-config=${this.options.kubesphereConfig}`] : []),
        ...(this.options.webhookName ? [`--auditing-webhook-name=${this.options.webhookName}`] : []),
      ],
      logFile: this.logFile,
      pidFile: files.pid,
    });
    this.#child = child;
    this.#set('starting', { pid: child.pid });
    void child.exited.then((exit) => this.#onExit(child, exit));
    const deadline = Date.now() + START_TIMEOUT_MS;
    let lastError = 'no answer yet';
    while (child.running) {
      if (this.#stopping) return;
      try {
        await expectOk(`${this.url}/healthz`, { ca: caPem });
        this.#readyAt = Date.now();
        this.#set('ready', { pid: child.pid });
        return;
      } catch (error) {
        lastError = errorText(error);
      }
      if (Date.now() > deadline) {
        const reason = `${this.instance} was not ready within ${START_TIMEOUT_MS / 1000}s (${lastError}). Its log: ${this.logFile}\n${logTail(this.logFile)}`;
        await child.stop(STOP_TIMEOUT_MS);
        this.#set('failed', { reason });
        throw new Error(reason);
      }
      await Promise.race([sleep(200), child.exited]);
    }
    const reason = `${this.instance} exited during start. Its log: ${this.logFile}\n${logTail(this.logFile)}`;
    this.#set('failed', { reason });
    throw new Error(reason);
  }

  async #terminate(): Promise<void> {
    const child = this.#child;
    if (!child?.running) return;
    this.#child = null;
    this.#set('stopping', { pid: child.pid });
    await child.stop(STOP_TIMEOUT_MS);
  }

  #onExit(child: ChildProcess, exit: { code: number | null; signal: string | null }): void {
    // Only a child that is still the current one and was ready has crashed; an exit during start is the start's
    // error, and a stop on purpose clears #child first.
    if (this.#child !== child || this.#stopping || this.#state.phase !== 'ready') return;
    this.#child = null;
    this.#state.restarts += 1;
    if (this.#readyAt !== null && Date.now() - this.#readyAt > STABLE_AFTER_MS) this.#crashStep = 0;
    const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    this.#scheduleRestart(`${this.instance} exited (${how})`);
  }

  #scheduleRestart(what: string): void {
    const delay = RESTART_BACKOFF_MS[Math.min(this.#crashStep, RESTART_BACKOFF_MS.length - 1)] ?? 30_000;
    this.#crashStep += 1;
    this.#set('failed', {
      reason: `${what}; restarting in ${delay / 1000}s. Its log: ${this.logFile}\n${logTail(this.logFile, 5)}`,
    });
    this.#log(`${what}; restarting in ${delay / 1000}s`);
    this.#crashTimer = setTimeout(() => {
      this.#crashTimer = null;
      void this.#enqueue(() => this.#spawn()).catch((error: unknown) => {
        if (!this.#stopping) this.#scheduleRestart(`restarting ${this.instance} failed: ${errorText(error)}`);
      });
    }, delay);
  }

  /** Stops the watch and the process. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#crashTimer) clearTimeout(this.#crashTimer);
    await this.#deployment?.stop();
    await this.#queue;
    const child = this.#child;
    if (child?.running) {
      this.#set('stopping', { pid: child.pid });
      await child.stop(STOP_TIMEOUT_MS);
    }
    this.#child = null;
    this.#set('stopped');
  }

  /** Immediate kill, for an exit path where nothing can be awaited. */
  killNow(): void {
    this.#child?.killNow();
  }
}
