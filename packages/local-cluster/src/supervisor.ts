// The supervisor: prepares the data directory, starts etcd → kube-apiserver → seed → controller-manager,
// scheduler and kwok, each only once the one before answers ready; restarts a crashed component with backoff;
// restarts the apiserver when its audit files change; and stops everything in reverse order. Every state change
// goes to the onState callback, the `state` event and $DATA_DIR/cluster/state.json (read by the server for
// /api/healthz). The shape follows controller-runtime's envtest control plane (pkg/internal/testing/controlplane).
import { EventEmitter } from 'node:events';
import { existsSync, type FSWatcher, mkdirSync, readFileSync, rmSync, watch } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditFilesFingerprint, seedAuditPolicy, writeAuditWebhookConfig } from './audit-files.ts';
import { resolveBinaries } from './build.ts';
import { COMPONENT_NAMES, type ComponentContext, type ComponentDefinition, type ComponentName } from './component.ts';
import { etcd } from './etcd.ts';
import { KUBERNETES_SERVICE_IP, kubeApiserver } from './kube-apiserver.ts';
import { kubeControllerManager } from './kube-controller-manager.ts';
import { kubeScheduler } from './kube-scheduler.ts';
import { clientConfig, writeKubeconfig } from './kubeconfig.ts';
import {
  type KubeSphereStandIns,
  STAND_IN_NAMES,
  type StandInName,
  startKubeSphereStandIns,
} from './kubesphere/stand-ins.ts';
import { kwok } from './kwok.ts';
import { type ClusterLayout, clusterLayout } from './layout.ts';
import { ensureCertificateAuthority, ensureLeafCertificate, ensureServiceAccountKeys, writeFileAtomic } from './pki.ts';
import { ensureInternalPorts, waitForPortFree } from './ports.ts';
import {
  ChildProcess,
  isAlive,
  killStale,
  livePidFromFile,
  logTail,
  processExecutable,
  writePidFile,
} from './process.ts';
import { AUDITING_NAMESPACE, applySeed, errorText } from './seed.ts';
import { COMPONENTS, ensureTokens, type Tokens, type UserName } from './users.ts';

export type { ComponentName } from './component.ts';

/** What the cluster's parts are doing. `build` and `seed` are steps, not processes. */
export type StateName = 'build' | ComponentName | 'seed' | StandInName;
export type Phase = 'pending' | 'building' | 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped';

export interface ComponentState {
  name: StateName;
  phase: Phase;
  /** Why it failed (or what it is waiting for), in words a person can act on. */
  reason?: string;
  pid?: number;
  restarts: number;
  /** ISO time of the last phase change. */
  since: string;
}

/** What state.json holds, for processes that cannot hold a LocalCluster (the server's /api/healthz). */
export interface StateFile {
  supervisorPid: number;
  server: string;
  kubeconfigPath: string;
  sandboxPort: number;
  receiverPort: number;
  components: ComponentState[];
  updatedAt: string;
}

export interface ReceiverTlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** What a client of the cluster needs on disk: the server is started with these. */
export interface ClusterFiles {
  kubeconfigPath: string;
  /** state.json: each component's phase, kept current. */
  stateFile: string;
  /** The receiver's serving pair and the CA kube-apiserver trusts it with. */
  receiverTls: ReceiverTlsFiles;
}

export interface SupervisorOptions {
  dataDir: string;
  sandboxPort: number;
  receiverPort: number;
  onState?: (state: ComponentState) => void;
  /** Once the kubeconfig and the receiver's TLS files are written, before the build and the components. */
  onFilesReady?: (files: ClusterFiles) => void;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

const DEFINITIONS: Record<ComponentName, ComponentDefinition> = {
  etcd,
  'kube-apiserver': kubeApiserver,
  'kube-controller-manager': kubeControllerManager,
  'kube-scheduler': kubeScheduler,
  kwok,
};

/** Names people type (`restart apiserver`) mapped to components. */
export function componentByAlias(alias: string): ComponentName | null {
  const name = alias.startsWith('kube-') || alias === 'etcd' || alias === 'kwok' ? alias : `kube-${alias}`;
  return (COMPONENT_NAMES as readonly string[]).includes(name) ? (name as ComponentName) : null;
}

const RESTART_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];
/** A component that stayed ready this long starts its backoff afresh after the next crash. */
const STABLE_AFTER_MS = 60_000;
// kube-apiserver may wait for its audit webhook to retry a batch while the receiver is down; do not wait for that.
const STOP_TIMEOUT_MS = 5_000;
const PROBE_INTERVAL_MS = 250;
// A just-killed apiserver (ours, from a run that was SIGKILLed a moment ago) can hold its port while its threads
// finish exiting; wait that out before calling the port taken.
const PORT_RELEASE_WAIT_MS = 10_000;

interface Running {
  process: ChildProcess;
  readyAt: number | null;
  /** Set while the supervisor itself stops or restarts it, so the exit is not taken for a crash. */
  intentional: boolean;
}

export class Supervisor extends EventEmitter<{ state: [ComponentState] }> {
  readonly layout: ClusterLayout;
  readonly options: SupervisorOptions;
  #states = new Map<StateName, ComponentState>();
  #running = new Map<ComponentName, Running>();
  #restartTimers = new Map<ComponentName, NodeJS.Timeout>();
  #backoffStep = new Map<ComponentName, number>();
  #context: ComponentContext | null = null;
  #stopping = false;
  #watchers: FSWatcher[] = [];
  #auditFingerprint = '';
  #auditDebounce: NodeJS.Timeout | null = null;
  #controlServer: Server | null = null;
  #restartQueue: Promise<void> = Promise.resolve();
  #standIns: KubeSphereStandIns | null = null;
  readonly #onExit = () => {
    // The last chance on a normal exit (process.exit, an uncaught error): nothing async runs here.
    for (const running of this.#running.values()) running.process.killNow();
    this.#standIns?.killNow();
  };

  constructor(options: SupervisorOptions) {
    super();
    this.options = options;
    this.layout = clusterLayout(options.dataDir);
    for (const name of [
      'build',
      ...COMPONENT_NAMES.slice(0, 2),
      'seed',
      ...COMPONENT_NAMES.slice(2),
      ...STAND_IN_NAMES,
    ] as StateName[]) {
      this.#states.set(name, { name, phase: 'pending', restarts: 0, since: new Date().toISOString() });
    }
  }

  get server(): string {
    return `https://127.0.0.1:${this.options.sandboxPort}`;
  }

  /** Where the kubeconfig, state.json and the receiver's TLS files are (written early in start()). */
  get files(): ClusterFiles {
    const { layout } = this;
    return {
      kubeconfigPath: layout.kubeconfig,
      stateFile: layout.stateFile,
      receiverTls: { caFile: layout.receiverCa, certFile: layout.receiverCert, keyFile: layout.receiverKey },
    };
  }

  /** The ks-apiserver stand-in, once started. */
  get ksApiserver(): { url: string; kubeconfig: string } | null {
    return this.#standIns
      ? { url: this.#standIns.ksApiserverUrl, kubeconfig: this.#standIns.ksApiserverKubeconfig }
      : null;
  }

  get tokens(): Tokens {
    if (!this.#context) throw new Error('the local cluster has not started');
    return this.#context.tokens;
  }

  states(): ComponentState[] {
    return [...this.#states.values()].map((state) => ({ ...state }));
  }

  #log(line: string): void {
    this.options.log?.(line);
  }

  #setState(name: StateName, phase: Phase, extra: { reason?: string; pid?: number; restarts?: number } = {}): void {
    const previous = this.#states.get(name);
    const state: ComponentState = {
      name,
      phase,
      restarts: extra.restarts ?? previous?.restarts ?? 0,
      since: new Date().toISOString(),
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.pid ? { pid: extra.pid } : {}),
    };
    this.#states.set(name, state);
    this.#writeStateFile();
    this.options.onState?.({ ...state });
    this.emit('state', { ...state });
  }

  #writeStateFile(): void {
    const file: StateFile = {
      supervisorPid: process.pid,
      server: this.server,
      kubeconfigPath: this.layout.kubeconfig,
      sandboxPort: this.options.sandboxPort,
      receiverPort: this.options.receiverPort,
      components: this.states(),
      updatedAt: new Date().toISOString(),
    };
    try {
      writeFileAtomic(this.layout.stateFile, `${JSON.stringify(file, null, 2)}\n`);
    } catch {
      // The data directory vanished under us (a test removed it); the in-memory state still holds.
    }
  }

  /** Starts everything; on failure stops what started and throws the reason. */
  async start(): Promise<void> {
    const { layout } = this;
    mkdirSync(layout.clusterDir, { recursive: true });
    this.#claimDataDir();
    process.on('exit', this.#onExit);
    try {
      await this.#killLeftovers();
      await this.#prepare();
      await this.#startComponent('etcd');
      await this.#startComponent('kube-apiserver');
      await this.#seed();
      await Promise.all(
        (['kube-controller-manager', 'kube-scheduler', 'kwok'] as const).map((name) => this.#startComponent(name)),
      );
      this.#watchAuditFiles();
      await this.#openControlSocket();
      this.#standIns = await startKubeSphereStandIns({
        layout: this.layout,
        server: this.server,
        caPem: this.#requireContext().caPem,
        bootstrapToken: this.#requireContext().tokens.bootstrap,
        setState: (name, phase, extra) => this.#setState(name, phase, extra),
        log: (line) => this.#log(line),
      });
    } catch (error) {
      await this.stop().catch(() => {});
      throw error;
    }
  }

  /** One supervisor per data directory; a dead one's pid file is simply replaced. */
  #claimDataDir(): void {
    const other = livePidFromFile(this.layout.supervisorPidFile);
    if (other !== null && other !== process.pid) {
      throw new Error(
        `a local cluster is already running for ${this.layout.dataDir} (supervisor pid ${other}). ` +
          'Use it (its kubeconfig is cluster/kubeconfig there), stop it, or choose another DATA_DIR.',
      );
    }
    writePidFile(this.layout.supervisorPidFile, process.pid, processExecutable(process.pid) ?? process.execPath);
  }

  /** Children of a supervisor that was SIGKILLed and whose children somehow survived it. */
  async #killLeftovers(): Promise<void> {
    for (const name of COMPONENT_NAMES) {
      const pid = await killStale(join(this.layout.runDir, `${name}.pid`));
      if (pid !== null) this.#log(`stopped ${name} (pid ${pid}) left over from an earlier run`);
    }
  }

  async #prepare(): Promise<void> {
    const { layout, options } = this;
    if (!(await waitForPortFree(options.sandboxPort, PORT_RELEASE_WAIT_MS))) {
      throw new Error(
        `127.0.0.1:${options.sandboxPort} is already in use, so kube-apiserver cannot listen there. ` +
          'Another local cluster or program holds it: stop it, or choose another port with SANDBOX_PORT=<port>.',
      );
    }
    const ports = await ensureInternalPorts(layout.portsFile, [options.sandboxPort, options.receiverPort]);

    const ca = await ensureCertificateAuthority(layout.caCert, layout.caKey, 'auditorium-local-cluster-ca');
    await ensureLeafCertificate(ca, layout.apiserverCert, layout.apiserverKey, {
      commonName: 'kube-apiserver',
      dnsNames: [
        'localhost',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
      ],
      ipAddresses: ['127.0.0.1', KUBERNETES_SERVICE_IP],
      usage: 'server',
    });
    await ensureLeafCertificate(ca, layout.componentsCert, layout.componentsKey, {
      commonName: 'local-cluster-components',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
    });
    await ensureServiceAccountKeys(layout.serviceAccountKey, layout.serviceAccountPublicKey);
    const tokens = ensureTokens(layout.tokensJson, layout.tokenAuthFile);
    await this.#prepareReceiverTls();

    seedAuditPolicy(layout.auditPolicy);
    const receiverCaPem = readFileSync(layout.receiverCa, 'utf8');
    const webhook = writeAuditWebhookConfig(layout.auditWebhookConfig, options.receiverPort, receiverCaPem);
    if (webhook.userEdited) {
      this.#log(`${layout.auditWebhookConfig} was edited by hand; leaving it as it is (RECEIVER_PORT is not applied)`);
    }

    const caPem = ca.certPem;
    const people: { name: UserName; namespace?: string }[] = [
      { name: 'admin' },
      { name: 'tenant', namespace: 'demo' },
      { name: 'viewer' },
    ];
    writeKubeconfig(layout.kubeconfig, {
      server: this.server,
      caPem,
      users: people.map((person) => ({ ...person, token: tokens[person.name] })),
      currentContext: 'admin',
    });
    for (const component of ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const) {
      writeKubeconfig(join(layout.componentKubeconfigDir, `${component}.kubeconfig`), {
        server: this.server,
        caPem,
        users: [{ name: COMPONENTS[component].user, token: tokens[component] }],
        currentContext: COMPONENTS[component].user,
      });
    }
    // The files a client needs exist before the (possibly minutes-long) build, so the server can start now
    // and show the build's progress instead of leaving the console dark.
    this.#writeStateFile();
    options.onFilesReady?.(this.files);

    this.#setState('build', 'starting');
    const binaries = await resolveBinaries({
      env: options.env,
      log: (line) => this.#log(line),
      onBuilding: (building) => {
        if (building)
          this.#setState('build', 'building', { reason: 'building the control plane once (a few minutes)' });
      },
    }).catch((error: unknown) => {
      this.#setState('build', 'failed', { reason: errorText(error) });
      throw error;
    });
    this.#setState('build', 'ready');
    this.#context = { layout, binaries, ports, sandboxPort: options.sandboxPort, tokens, caPem };
  }

  /**
   * The receiver's TLS, as KubeSphere's auditing operator makes it for kube-auditing-webhook: a self-signed CA and
   * a serving certificate for the Service, also valid for loopback where the local receiver really listens.
   */
  async #prepareReceiverTls(): Promise<void> {
    const { layout } = this;
    const ca = await ensureCertificateAuthority(layout.receiverCa, layout.receiverCaKey, 'kube-auditing-webhook-ca');
    const service = `kube-auditing-webhook-svc`;
    await ensureLeafCertificate(ca, layout.receiverCert, layout.receiverKey, {
      commonName: `${service}.${AUDITING_NAMESPACE}.svc`,
      dnsNames: [
        service,
        `${service}.${AUDITING_NAMESPACE}`,
        `${service}.${AUDITING_NAMESPACE}.svc`,
        `${service}.${AUDITING_NAMESPACE}.svc.cluster.local`,
        'localhost',
      ],
      // 10.96.100.10: the ClusterIP pinned in seed/services.yaml.
      ipAddresses: ['127.0.0.1', '10.96.100.10'],
      usage: 'server',
    });
  }

  async #seed(): Promise<void> {
    const context = this.#requireContext();
    const { layout } = this;
    this.#setState('seed', 'starting');
    try {
      await applySeed(clientConfig(this.server, context.caPem, context.tokens.bootstrap), {
        receiverPort: this.options.receiverPort,
        receiverTls: {
          caPem: readFileSync(layout.receiverCa, 'utf8'),
          certPem: readFileSync(layout.receiverCert, 'utf8'),
          keyPem: readFileSync(layout.receiverKey, 'utf8'),
        },
        log: (line) => this.#log(line),
      });
    } catch (error) {
      this.#setState('seed', 'failed', { reason: errorText(error) });
      throw error;
    }
    this.#setState('seed', 'ready');
  }

  #requireContext(): ComponentContext {
    if (!this.#context) throw new Error('the local cluster has not been prepared');
    return this.#context;
  }

  /** Spawns a component and waits until its probe passes, its start timeout passes, or it exits. */
  async #startComponent(name: ComponentName): Promise<void> {
    const context = this.#requireContext();
    const definition = DEFINITIONS[name];
    const logFile = join(this.layout.logsDir, `${name}.log`);
    let child: ChildProcess;
    try {
      child = new ChildProcess({
        name,
        binary: definition.binary(context),
        args: definition.args(context),
        logFile,
        pidFile: join(this.layout.runDir, `${name}.pid`),
      });
    } catch (error) {
      this.#setState(name, 'failed', { reason: errorText(error) });
      throw error;
    }
    const running: Running = { process: child, readyAt: null, intentional: false };
    this.#running.set(name, running);
    this.#setState(name, 'starting', { pid: child.pid });
    void child.exited.then((exit) => this.#onChildExit(name, running, exit));

    const deadline = Date.now() + definition.startTimeoutMs;
    let lastError = 'no answer yet';
    while (child.running) {
      try {
        await definition.probe(context);
        running.readyAt = Date.now();
        this.#setState(name, 'ready', { pid: child.pid });
        return;
      } catch (error) {
        lastError = errorText(error);
      }
      if (Date.now() > deadline) {
        const reason = `${name} was not ready within ${definition.startTimeoutMs / 1000}s (last check: ${lastError}). Its log: ${logFile}\n${logTail(logFile)}`;
        this.#setState(name, 'failed', { reason, pid: child.pid });
        throw new Error(reason);
      }
      await Promise.race([sleep(PROBE_INTERVAL_MS), child.exited]);
    }
    const exit = child.exit;
    const reason = `${name} exited during start (${describeExit(exit)}). ${this.#hint(name, logFile)}Its log: ${logFile}\n${logTail(logFile)}`;
    this.#setState(name, 'failed', { reason });
    throw new Error(reason);
  }

  #hint(name: ComponentName, logFile: string): string {
    const tail = logTail(logFile, 40);
    if (/address already in use/i.test(tail)) {
      return 'A port it needs is in use by another program. ';
    }
    if (name === 'etcd' && /(corrupt|checksum|failed to (recover|open|find)|wal|snapshot|bbolt|database)/i.test(tail)) {
      return (
        `Its data in ${this.layout.etcdDataDir} looks damaged; remove ${this.layout.clusterDir} to start afresh ` +
        '(this deletes the objects stored in the local cluster). '
      );
    }
    if (name === 'kube-apiserver' && /audit/i.test(tail)) {
      return `Check ${this.layout.auditPolicy} and ${this.layout.auditWebhookConfig}. `;
    }
    return '';
  }

  #onChildExit(name: ComponentName, running: Running, exit: { code: number | null; signal: string | null }): void {
    if (this.#running.get(name) === running) this.#running.delete(name);
    if (running.intentional || this.#stopping) return;
    // A crash after it was ready: restart with backoff. (Crashes during start are the start's error.)
    if (running.readyAt === null) return;
    const stable = Date.now() - running.readyAt > STABLE_AFTER_MS;
    const step = stable ? 0 : (this.#backoffStep.get(name) ?? 0);
    this.#backoffStep.set(name, Math.min(step + 1, RESTART_BACKOFF_MS.length - 1));
    const delay = RESTART_BACKOFF_MS[step] ?? 30_000;
    const logFile = join(this.layout.logsDir, `${name}.log`);
    const state = this.#states.get(name);
    if (state) state.restarts += 1;
    this.#setState(name, 'failed', {
      reason: `${name} exited (${describeExit(exit)}); restarting in ${delay / 1000}s. Its log: ${logFile}\n${logTail(logFile, 5)}`,
    });
    this.#log(`${name} exited (${describeExit(exit)}); restarting in ${delay / 1000}s`);
    const timer = setTimeout(() => {
      this.#restartTimers.delete(name);
      if (this.#stopping) return;
      this.#startComponent(name).catch((error: unknown) => {
        this.#log(`restarting ${name} failed: ${errorText(error)}`);
        // Keep trying, further apart each time.
        const again = this.#running.get(name);
        if (!again) this.#onChildExit(name, { process: running.process, readyAt: 0, intentional: false }, exit);
      });
    }, delay);
    this.#restartTimers.set(name, timer);
  }

  /** Stops one component and starts it again; serialised, so two restart requests do not interleave. */
  restart(name: ComponentName): Promise<void> {
    const next = this.#restartQueue.then(async () => {
      if (this.#stopping) throw new Error('the local cluster is stopping');
      const timer = this.#restartTimers.get(name);
      if (timer) clearTimeout(timer);
      this.#restartTimers.delete(name);
      const running = this.#running.get(name);
      if (running) {
        running.intentional = true;
        this.#setState(name, 'stopping', { pid: running.process.pid });
        await running.process.stop(STOP_TIMEOUT_MS);
      }
      this.#log(`restarting ${name}`);
      await this.#startComponent(name);
    });
    this.#restartQueue = next.catch(() => {});
    return next;
  }

  /** Edits of the audit policy or webhook file apply on the apiserver's next start, so restart it. */
  #watchAuditFiles(): void {
    const { auditDir, auditPolicy, auditWebhookConfig } = this.layout;
    this.#auditFingerprint = auditFilesFingerprint(auditPolicy, auditWebhookConfig);
    try {
      const watcher = watch(auditDir, () => {
        if (this.#auditDebounce) clearTimeout(this.#auditDebounce);
        // Editors write in several steps (truncate, write, rename); act once they are done.
        this.#auditDebounce = setTimeout(() => {
          const fingerprint = auditFilesFingerprint(auditPolicy, auditWebhookConfig);
          if (fingerprint === this.#auditFingerprint || this.#stopping) return;
          this.#auditFingerprint = fingerprint;
          this.#log('audit policy or webhook configuration changed: restarting kube-apiserver');
          this.restart('kube-apiserver').catch((error: unknown) => {
            this.#log(`kube-apiserver did not come back after the audit files changed: ${errorText(error)}`);
          });
        }, 500);
      });
      this.#watchers.push(watcher);
    } catch (error) {
      this.#log(`cannot watch ${auditDir} (${errorText(error)}); restart the apiserver by hand after editing`);
    }
  }

  /** A unix socket speaking HTTP, so `cli.ts restart apiserver` can reach the running supervisor. */
  async #openControlSocket(): Promise<void> {
    const socket = this.layout.controlSocket;
    rmSync(socket, { force: true });
    const server = createServer((req, res) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://supervisor');
      const restartMatch = /^\/restart\/([a-z-]+)$/.exec(url.pathname);
      if (req.method === 'GET' && url.pathname === '/states') return reply(200, this.states());
      if (req.method === 'POST' && restartMatch) {
        const name = componentByAlias(restartMatch[1] ?? '');
        if (!name)
          return reply(404, { error: `no component ${restartMatch[1]}; one of ${COMPONENT_NAMES.join(', ')}` });
        this.restart(name).then(
          () => reply(200, this.states()),
          (error: unknown) => reply(500, { error: errorText(error) }),
        );
        return;
      }
      reply(404, { error: 'not found' });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => resolve());
    });
    server.unref();
    this.#controlServer = server;
  }

  /** Stops everything in reverse start order, each with a timeout; collects and throws every error. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#standIns
      ?.stop()
      .catch((error: unknown) => this.#log(`stopping the KubeSphere stand-ins: ${errorText(error)}`));
    this.#standIns = null;
    for (const timer of this.#restartTimers.values()) clearTimeout(timer);
    this.#restartTimers.clear();
    if (this.#auditDebounce) clearTimeout(this.#auditDebounce);
    for (const watcher of this.#watchers) watcher.close();
    this.#watchers = [];
    if (this.#controlServer) {
      await new Promise<void>((resolve) => this.#controlServer?.close(() => resolve()));
      this.#controlServer = null;
      rmSync(this.layout.controlSocket, { force: true });
    }
    const errors: string[] = [];
    // Dependents first: the controllers and kwok together, then the apiserver, then etcd.
    const stopOne = async (name: ComponentName) => {
      const running = this.#running.get(name);
      if (!running) {
        const state = this.#states.get(name);
        if (state && state.phase !== 'pending' && state.phase !== 'failed') this.#setState(name, 'stopped');
        return;
      }
      running.intentional = true;
      this.#setState(name, 'stopping', { pid: running.process.pid });
      try {
        await running.process.stop(STOP_TIMEOUT_MS);
        this.#setState(name, 'stopped');
      } catch (error) {
        errors.push(`${name}: ${errorText(error)}`);
      }
    };
    await Promise.all((['kwok', 'kube-scheduler', 'kube-controller-manager'] as const).map(stopOne));
    await stopOne('kube-apiserver');
    await stopOne('etcd');
    // Parts a failed start never reached would read "pending" in state.json for as long as we live.
    const failed = [...this.#states.values()].find((state) => state.phase === 'failed');
    for (const state of this.states()) {
      if (state.phase !== 'pending') continue;
      this.#setState(state.name, 'stopped', { reason: failed ? `not started: ${failed.name} failed` : 'not started' });
    }
    process.off('exit', this.#onExit);
    const ours = livePidFromFile(this.layout.supervisorPidFile);
    if (ours === process.pid || (ours !== null && !isAlive(ours)))
      rmSync(this.layout.supervisorPidFile, { force: true });
    if (existsSync(this.layout.clusterDir)) this.#writeStateFile();
    if (errors.length > 0) throw new Error(`stopping the local cluster: ${errors.join('; ')}`);
  }
}

function describeExit(exit: { code: number | null; signal: string | null } | null): string {
  if (!exit) return 'unknown exit';
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}
