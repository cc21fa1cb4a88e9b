// `npm run cluster -- [start|restart <component>|status|kubeconfig]`
//   start (default)      start the local cluster and stay in the foreground until Ctrl-C.
//   restart <component>  ask the running supervisor to restart one component (apiserver, controller-manager,
//                        scheduler, etcd, kwok), e.g. after editing the audit policy.
//   status               print what the running supervisor last reported.
//   kubeconfig           print the kubeconfig path.
// Environment: DATA_DIR (default .auditorium, relative to the working directory), SANDBOX_PORT (6444),
// RECEIVER_PORT (6443); KUBEBUILDER_ASSETS / AUDITORIUM_KUBE_BIN_DIR to use prebuilt binaries.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { DEFAULT_RECEIVER_PORT, DEFAULT_SANDBOX_PORT, readStateFile, startLocalCluster } from './index.ts';
import { clusterLayout } from './layout.ts';

const dataDir = resolve(process.env.DATA_DIR || '.auditorium');
const sandboxPort = Number(process.env.SANDBOX_PORT || DEFAULT_SANDBOX_PORT);
const receiverPort = Number(process.env.RECEIVER_PORT || DEFAULT_RECEIVER_PORT);

function say(line: string): void {
  process.stderr.write(`local-cluster: ${line}\n`);
}

function fail(line: string): never {
  say(line);
  process.exit(1);
}

async function start(): Promise<void> {
  say(`starting the local cluster in ${clusterLayout(dataDir).clusterDir}`);
  const started = Date.now();
  let stopping = false;
  const cluster = await startLocalCluster({
    dataDir,
    sandboxPort,
    receiverPort,
    log: say,
    onState: (state) => {
      if (state.phase === 'failed' || state.phase === 'building')
        say(`${state.name}: ${state.phase}${state.reason ? ` (${state.reason})` : ''}`);
    },
  }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s: ${cluster.server}`);
  process.stdout.write(
    [
      `kubeconfig: ${cluster.kubeconfigPath}`,
      `  KUBECONFIG=${cluster.kubeconfigPath} kubectl get pods -A`,
      `  KUBECONFIG=${cluster.kubeconfigPath} kubectl --context tenant get events -n demo`,
      `audit events go to ${cluster.receiverUrl} (receiver TLS in ${clusterLayout(dataDir).receiverTlsDir})`,
      'Ctrl-C stops the cluster; its data stays for the next start.',
      '',
    ].join('\n'),
  );
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    await cluster.stop().catch((error: unknown) => say(String(error)));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Stay alive: the supervisor's own handles are unref'd so library users can exit freely.
  setInterval(() => {}, 1 << 30);
}

function askSupervisor(method: 'GET' | 'POST', path: string): Promise<{ status: number; body: string }> {
  const socketPath = clusterLayout(dataDir).controlSocket;
  if (!existsSync(socketPath)) {
    fail(`no local cluster is running for ${dataDir} (no ${socketPath}); start one with \`npm run cluster\``);
  }
  return new Promise((resolvePromise, reject) => {
    const req = request({ socketPath, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A socket left behind by a supervisor that was killed -9: nothing listens on it any more.
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') {
        fail(
          `no local cluster is running for ${dataDir} (nothing answers on ${socketPath}); start one with \`npm run cluster\``,
        );
      }
      reject(error);
    });
    req.end();
  });
}

async function restart(component: string | undefined): Promise<void> {
  if (!component) fail('usage: cli.ts restart <apiserver|controller-manager|scheduler|etcd|kwok>');
  say(`restarting ${component}…`);
  const { status, body } = await askSupervisor('POST', `/restart/${encodeURIComponent(component)}`);
  if (status !== 200) fail(`restart failed: ${(JSON.parse(body) as { error?: string }).error ?? body}`);
  say(`${component} restarted and ready`);
}

function status(): void {
  const state = readStateFile(dataDir);
  if (!state) fail(`no local cluster state in ${clusterLayout(dataDir).stateFile}`);
  for (const component of state.components) {
    process.stdout.write(`${component.name.padEnd(24)} ${component.phase.padEnd(9)} ${component.reason ?? ''}\n`);
  }
}

const [command = 'start', ...rest] = process.argv.slice(2);
switch (command) {
  case 'start':
    await start();
    break;
  case 'restart':
    await restart(rest[0]);
    break;
  case 'status':
    status();
    break;
  case 'kubeconfig':
    process.stdout.write(`${clusterLayout(dataDir).kubeconfig}\n`);
    break;
  default:
    fail(`unknown command ${command}; use start, restart <component>, status or kubeconfig`);
}
