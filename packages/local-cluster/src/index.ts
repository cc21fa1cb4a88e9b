// @auditorium/local-cluster: a real Kubernetes control plane on this machine (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok with two fake nodes), built once from Kubernetes' own Go
// modules, seeded with KubeSphere's auditing objects, and auditing to our receiver through kube-apiserver's
// audit webhook. It is the cluster of `npm start` (when KUBECONFIG is unset) and of the integration tests.
//
// Public API:
//   startLocalCluster({ dataDir, sandboxPort?, receiverPort?, onState?, onFilesReady?, log? }) → Promise<LocalCluster>
//     Starts (building first, once per machine, if needed) and resolves when every component is ready and the
//     seed is applied. Rejects with a message saying what to do (install Go, free a port, remove a damaged data
//     directory); anything it started is stopped again.
//   LocalCluster:
//     kubeconfigPath   $DATA_DIR/cluster/kubeconfig: contexts admin (default), tenant, viewer; CA embedded.
//     stateFile        $DATA_DIR/cluster/state.json: each part's phase (give the server CONTROL_PLANE_STATE_FILE).
//     server           https://127.0.0.1:<sandboxPort>
//     tokens           bearer tokens of admin / tenant / viewer (rights from seed/rbac.yaml only).
//     receiverTls      { caFile, certFile, keyFile }: the receiver's serving pair (give the server these as
//                      RECEIVER_TLS_CERT / RECEIVER_TLS_KEY) and the CA kube-apiserver trusts it with.
//     receiverUrl      where kube-apiserver posts its audit EventLists.
//     ksApiserverUrl   the ks-apiserver stand-in (src/kubesphere/), which audits what it proxies as KubeSphere does;
//     ksApiserverKubeconfigPath  the kubeconfig above with the stand-in as server (kubectl through ks-apiserver).
//     states()         a snapshot of each part's phase (pending|building|starting|ready|failed|stopping|stopped).
//     on('state', fn)  every change as it happens (also written to $DATA_DIR/cluster/state.json, see readStateFile).
//     restart(name)    restarts one component ('kube-apiserver', or the alias 'apiserver', …) and waits for ready.
//     stop()           stops everything in reverse order.
//   resolveKubectl({ dataDir }) → Promise<string>: a kubectl within one minor of the server (fetched once).
//   startDemoTraffic({ kubeconfigPath, ksApiserverUrl, ratePerSecond }) → DemoTraffic: the users at work (npm start).
//   readStateFile(dataDir): the states another process's supervisor last wrote, or null.
//   Constants: KUBERNETES_VERSION, DEFAULT_SANDBOX_PORT (6444), DEFAULT_RECEIVER_PORT (6443).
// The CLI (src/cli.ts) and the vitest globalSetup (src/testing/global-setup.ts) are built on these.
import { existsSync, readFileSync } from 'node:fs';
import { receiverUrl } from './audit-files.ts';
import type { ComponentName } from './component.ts';
import { clusterLayout } from './layout.ts';
import {
  type ClusterFiles,
  type ComponentState,
  componentByAlias,
  type ReceiverTlsFiles,
  type StateFile,
  Supervisor,
} from './supervisor.ts';
import type { UserName } from './users.ts';

export type { ComponentName } from './component.ts';
export { type DemoTraffic, type DemoTrafficOptions, startDemoTraffic } from './demo-traffic.ts';
export { resolveKubectl } from './kubectl.ts';
export type { ClusterFiles, ComponentState, Phase, ReceiverTlsFiles, StateFile, StateName } from './supervisor.ts';
export type { UserName } from './users.ts';
export { KUBERNETES_VERSION } from './versions.ts';

export const DEFAULT_SANDBOX_PORT = 6444;
export const DEFAULT_RECEIVER_PORT = 6443;

export interface LocalClusterOptions {
  /** The project's data directory ($DATA_DIR); the cluster lives in its `cluster/` folder. */
  dataDir: string;
  /** kube-apiserver's port on 127.0.0.1. Default 6444. */
  sandboxPort?: number;
  /** Where the receiver listens (https://127.0.0.1:<port>/audit/webhook/event). Default 6443. */
  receiverPort?: number;
  onState?: (state: ComponentState) => void;
  /** Called once the kubeconfig, state.json and the receiver's TLS files exist, before the build and the
   * components start: a server started here shows the whole start-up in its health. */
  onFilesReady?: (files: ClusterFiles) => void;
  /** Progress lines for people (the first build, restarts). */
  log?: (line: string) => void;
  /** Environment to read KUBEBUILDER_ASSETS, AUDITORIUM_KUBE_BIN_DIR, XDG_CACHE_HOME and PATH from. */
  env?: NodeJS.ProcessEnv;
}

export interface LocalCluster {
  readonly dataDir: string;
  readonly kubeconfigPath: string;
  /** state.json: each component's phase (the server's CONTROL_PLANE_STATE_FILE). */
  readonly stateFile: string;
  readonly server: string;
  readonly sandboxPort: number;
  readonly receiverPort: number;
  readonly receiverUrl: string;
  readonly receiverTls: ReceiverTlsFiles;
  /** Null when the stand-in did not start (its state says why). */
  readonly ksApiserverUrl: string | null;
  readonly ksApiserverKubeconfigPath: string | null;
  readonly tokens: Readonly<Record<UserName, string>>;
  states(): ComponentState[];
  on(event: 'state', listener: (state: ComponentState) => void): unknown;
  off(event: 'state', listener: (state: ComponentState) => void): unknown;
  restart(component: ComponentName | 'apiserver' | 'controller-manager' | 'scheduler'): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const sandboxPort = options.sandboxPort ?? DEFAULT_SANDBOX_PORT;
  const receiverPort = options.receiverPort ?? DEFAULT_RECEIVER_PORT;
  const supervisor = new Supervisor({
    dataDir: options.dataDir,
    sandboxPort,
    receiverPort,
    onState: options.onState,
    onFilesReady: options.onFilesReady,
    log: options.log,
    env: options.env,
  });
  await supervisor.start();
  const { layout } = supervisor;
  const { admin, tenant, viewer } = supervisor.tokens;
  return {
    dataDir: layout.dataDir,
    ...supervisor.files,
    server: supervisor.server,
    sandboxPort,
    receiverPort,
    receiverUrl: receiverUrl(receiverPort),
    ksApiserverUrl: supervisor.ksApiserver?.url ?? null,
    ksApiserverKubeconfigPath: supervisor.ksApiserver?.kubeconfig ?? null,
    tokens: { admin, tenant, viewer },
    states: () => supervisor.states(),
    on: (event, listener) => supervisor.on(event, listener),
    off: (event, listener) => supervisor.off(event, listener),
    restart: async (component) => {
      const name = componentByAlias(component);
      if (!name) throw new Error(`no component named ${component}`);
      await supervisor.restart(name);
    },
    stop: () => supervisor.stop(),
  };
}

/** What the supervisor of `dataDir` last reported, for a process that did not start it; null if none. */
export function readStateFile(dataDir: string): StateFile | null {
  const { stateFile } = clusterLayout(dataDir);
  if (!existsSync(stateFile)) return null;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as StateFile;
  } catch {
    return null;
  }
}
