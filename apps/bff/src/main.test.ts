import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { receiverPath } from '@auditorium/audit-model';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HealthReport } from './health.ts';
import { kubesphereBatchBody, kubesphereEvent } from './receiver/testing/audit-batches.ts';
import { send } from './receiver/testing/http-client.ts';
import { testCluster, testKubeConfig, uniqueName } from './receiver/testing/local-cluster.ts';
import { userToken } from './testing/cluster-app.ts';
import { SseReader } from './testing/sse-reader.ts';

/**
 * The server's entry point as `npm start` runs it, on the local cluster through a kubeconfig: the
 * receiver it starts feeds the console's live stream (LiveJournal over the receiver's bus) and its archive
 * serves the search, and /api/healthz lists every component. Everything over real sockets.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the server entry point on a real cluster', () => {
  let kubeConfig: KubeConfig;
  let dataDir: string;
  let child: ChildProcess | undefined;
  let consoleUrl: string;
  let receiverUrl: string;
  const output: string[] = [];
  const readers: SseReader[] = [];

  const get = (path: string, user: 'admin' | 'tenant', signal?: AbortSignal) =>
    fetch(`${consoleUrl}${path}`, {
      headers: { Authorization: `Bearer ${userToken(kubeConfig, user)}` },
      ...(signal ? { signal } : {}),
    });

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    dataDir = mkdtempSync(join(tmpdir(), 'auditorium-main-'));
    const consoleDir = join(dataDir, 'console');
    mkdirSync(consoleDir);
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><div id="root"></div>');
    const [port, receiverPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
      env: {
        PATH: process.env.PATH,
        KUBECONFIG: testCluster().kubeconfigPath,
        DATA_DIR: dataDir,
        CONSOLE_DIR: consoleDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        RECEIVER_PORT: String(receiverPort),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!/auditorium: console: /.test(output.join('')) || !/auditorium: receiver: /.test(output.join(''))) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`the server did not start:\n${output.join('')}`);
      await sleep(100);
    }
    consoleUrl = `http://127.0.0.1:${port}`;
    receiverUrl = /auditorium: receiver: (\S+)/.exec(output.join(''))![1]!;
  }, 60_000);

  afterAll(async () => {
    for (const reader of readers) reader.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('prints the receiver address and a sign-in link, and /api/healthz reports every component ok', async () => {
    expect(receiverUrl).toBe(`${receiverUrl.split('/audit')[0]}${receiverPath}`);
    expect(output.join('')).toMatch(/auditorium: sign in: http:\/\/127\.0\.0\.1:\d+\/\S*code=/);
    // The receiver is ready once it has listed the cluster's Webhook and Rules.
    let report: HealthReport | undefined;
    const deadline = Date.now() + 20_000;
    do {
      report = (await (await fetch(`${consoleUrl}/api/healthz`)).json()) as HealthReport;
      if (report.status === 'ok') break;
      await sleep(250);
    } while (Date.now() < deadline);
    expect(Object.keys(report.components).sort()).toEqual(['archive', 'cluster', 'console', 'receiver', 'rules']);
    expect(report.status, JSON.stringify(report)).toBe('ok');
  });

  test("events sent to the receiver reach the tenant's live stream (demo only) and the archive search", async () => {
    const hiddenNamespace = uniqueName('main-test');
    const resource = uniqueName('sprockets');
    const abort = new AbortController();
    const response = await get(`/api/events/stream?resource=${resource}`, 'tenant', abort.signal);
    expect(response.status).toBe(200);
    const tenant = new SseReader(response);
    readers.push(tenant);
    await tenant.until((_, comments) => comments.includes('connected'));

    const now = new Date().toISOString();
    const event = (namespace: string) => ({
      ...kubesphereEvent({ verb: 'create', resource, namespace, name: `in-${namespace}` }),
      Workspace: '',
      RequestReceivedTimestamp: now,
      StageTimestamp: now,
    });
    // A namespace that does not exist is no one's but a cluster-wide viewer's.
    const batch: Array<Record<string, unknown>> = [event(hiddenNamespace), event('demo')];
    const ca = readFileSync(join(dataDir, 'receiver', 'ca.crt'), 'utf8');
    const sent = await send(receiverUrl, kubesphereBatchBody(batch), { ca });
    expect(sent.status, sent.text).toBe(200);

    await tenant.until(() => tenant.events().length >= 1);
    expect(tenant.events().map((streamed) => streamed.event.ObjectRef?.Namespace)).toEqual(['demo']);
    expect(tenant.events()[0]?.event.AuditID).toBe(batch[1]!.AuditID);
    abort.abort();

    const search = (await (await get(`/api/events?resource=${resource}`, 'admin')).json()) as { total: number };
    expect(search.total).toBe(2);
    const tenantSearch = (await (await get(`/api/events?resource=${resource}`, 'tenant')).json()) as {
      total: number;
    };
    expect(tenantSearch.total).toBe(1);
  });
});
