// `npm start` lands here. With KUBECONFIG set it runs the server against that cluster. Without it, it
// starts the local cluster first (real etcd + kube-apiserver + kwok, built once and cached) and hands the
// server the kubeconfig and receiver certificate the cluster wrote, exactly as a user would point the
// server at any cluster. The server never imports local-cluster and never knows which cluster it has.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoTraffic, type LocalCluster, startDemoTraffic, startLocalCluster } from '@auditorium/local-cluster';

const here = dirname(fileURLToPath(import.meta.url));
const serverEntry = join(here, '../../bff/src/main.ts');
const dataDir = resolve(process.env.DATA_DIR ?? '.auditorium');

function say(line: string) {
  process.stderr.write(`auditorium: ${line}\n`);
}

async function provideCluster(): Promise<{ env: NodeJS.ProcessEnv; cluster?: LocalCluster }> {
  if (process.env.KUBECONFIG) {
    say(`using the cluster in KUBECONFIG=${process.env.KUBECONFIG}`);
    return { env: {} };
  }
  say('KUBECONFIG is unset: starting the local cluster');
  try {
    const cluster = await startLocalCluster({
      dataDir,
      sandboxPort: Number(process.env.SANDBOX_PORT ?? 6444),
      receiverPort: Number(process.env.RECEIVER_PORT ?? 6443),
      log: (line) => say(line),
    });
    say(`local cluster ready: KUBECONFIG=${cluster.kubeconfigPath} kubectl get pods -A`);
    return {
      cluster,
      env: {
        KUBECONFIG: cluster.kubeconfigPath,
        RECEIVER_TLS_CERT: cluster.receiverTls.certFile,
        RECEIVER_TLS_KEY: cluster.receiverTls.keyFile,
        RECEIVER_CA_FILE: cluster.receiverTls.caFile,
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    say(`the local cluster did not start: ${reason}`);
    say('the console still starts; set KUBECONFIG to use another cluster');
    return { env: { AUDITORIUM_CLUSTER_ERROR: reason } };
  }
}

let server: ChildProcess | undefined;
let stopping = false;
const { env, cluster } = await provideCluster();

// The local cluster's users at work, so the console has something to show (DEMO_RATE requests/s; 0 turns it off).
const demoRate = Number(process.env.DEMO_RATE ?? 2);
let demo: DemoTraffic | undefined;
if (cluster && Number.isFinite(demoRate) && demoRate > 0) {
  demo = startDemoTraffic({
    kubeconfigPath: cluster.kubeconfigPath,
    ksApiserverUrl: cluster.ksApiserverUrl ?? undefined,
    ratePerSecond: demoRate,
    log: (line) => say(line),
  });
  say(`demo traffic: ${demoRate} requests/s as admin, tenant and viewer (DEMO_RATE=0 turns it off)`);
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  server?.kill('SIGTERM');
  await demo?.stop().catch(() => {});
  await cluster?.stop();
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void shutdown(0));
}

server = spawn(process.execPath, [serverEntry], {
  stdio: 'inherit',
  env: { ...process.env, DATA_DIR: dataDir, ...env },
});
server.on('exit', (code) => void shutdown(code ?? 1));
