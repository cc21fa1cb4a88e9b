// `npm start` lands here. With KUBECONFIG set it runs the server against that cluster. Without it, it
// starts the local cluster (real etcd + kube-apiserver + kwok, built once and cached) and hands the server
// the kubeconfig, receiver certificate and state file the cluster wrote, exactly as a user would point the
// server at any cluster. The server never imports local-cluster and never knows which cluster it has.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  type ClusterFiles,
  type DemoTraffic,
  type LocalCluster,
  startDemoTraffic,
  startLocalCluster,
} from '@auditorium/local-cluster';

const here = dirname(fileURLToPath(import.meta.url));
const serverEntry = join(here, '../../bff/src/main.ts');
const dataDir = resolve(process.env.DATA_DIR ?? '.auditorium');

function say(line: string) {
  process.stderr.write(`auditorium: ${line}\n`);
}

function clusterEnv(files: ClusterFiles): NodeJS.ProcessEnv {
  return {
    KUBECONFIG: files.kubeconfigPath,
    CONTROL_PLANE_STATE_FILE: files.stateFile,
    RECEIVER_TLS_CERT: files.receiverTls.certFile,
    RECEIVER_TLS_KEY: files.receiverTls.keyFile,
    RECEIVER_CA_FILE: files.receiverTls.caFile,
  };
}

let server: ChildProcess | undefined;
/** The server said it listens (over IPC); before that, a message could arrive before its handler. */
let serving = false;
let cluster: LocalCluster | undefined;
let demo: DemoTraffic | undefined;
let stopping = false;

/**
 * The server goes last: kube-apiserver flushes its last audit batch (the demo objects' deletion, its own
 * shutdown) to the receiver as it stops. With the receiver already gone it loses those events and, retrying
 * them, takes 5 s instead of 1 to stop.
 */
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await demo?.stop().catch(() => {});
  if (cluster && serving) server?.send({ type: 'cluster-stopping' });
  await cluster?.stop().catch((error: unknown) => say(error instanceof Error ? error.message : String(error)));
  await stopServer();
  process.exit(code);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server?.once('exit', resolve));
  server.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void shutdown(0));
}

function startServer(env: NodeJS.ProcessEnv) {
  if (server) return;
  // An IPC channel: the server says when it serves, takes "print a sign-in link", and exits when we are gone.
  server = spawn(process.execPath, [serverEntry], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, DATA_DIR: dataDir, ...env },
  });
  server.on('message', (message: { type?: string }) => {
    if (message?.type === 'serving') serving = true;
  });
  server.on('exit', (code) => void shutdown(code ?? 1));
}

if (process.env.KUBECONFIG) {
  say(`using the cluster in KUBECONFIG=${process.env.KUBECONFIG}`);
  startServer({});
} else {
  say('KUBECONFIG is unset: starting the local cluster');
  try {
    cluster = await startLocalCluster({
      dataDir,
      sandboxPort: Number(process.env.SANDBOX_PORT ?? 6444),
      receiverPort: Number(process.env.RECEIVER_PORT ?? 6443),
      log: (line) => say(line),
      // The server starts as soon as the cluster's files exist, so the console and /api/healthz show the
      // build and each component coming up (from state.json) instead of nothing for minutes.
      onFilesReady: (files) => startServer(clusterEnv(files)),
    });
    say(`local cluster ready: KUBECONFIG=${cluster.kubeconfigPath} kubectl get pods -A`);
    // The link printed at the server's start scrolled away behind the cluster's lines: a fresh one, last.
    // (A server not serving yet prints its first link after this line anyway.)
    if (serving) server?.send({ type: 'sign-in-link' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    say(`the local cluster did not start: ${reason}`);
    say('the console still starts; set KUBECONFIG to use another cluster');
    // Failed before its files existed (a port in use): the server learns the reason from us. Later
    // failures are in state.json, which the running server already reports.
    startServer({ AUDITORIUM_CLUSTER_ERROR: reason });
  }
}

// The local cluster's users at work, so the console has something to show (DEMO_RATE requests/s; 0 turns it off).
const demoRate = Number(process.env.DEMO_RATE ?? 2);
if (cluster && !stopping && Number.isFinite(demoRate) && demoRate > 0) {
  demo = startDemoTraffic({
    kubeconfigPath: cluster.kubeconfigPath,
    ksApiserverUrl: cluster.ksApiserverUrl ?? undefined,
    ratePerSecond: demoRate,
    log: (line) => say(line),
  });
  say(`demo traffic: ${demoRate} requests/s as admin, tenant and viewer (DEMO_RATE=0 turns it off)`);
}
