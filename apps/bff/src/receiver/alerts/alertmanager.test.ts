import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AlertmanagerProcess, startAlertmanager } from '../testing/alertmanager-process.ts';
import { kubernetesBatch, kubernetesEvent, shippedConfig } from '../testing/audit-batches.ts';
import { startTestReceiver, type TestReceiver } from '../testing/test-receiver.ts';
import { loadTlsMaterial } from '../tls-material.ts';

describe('alerts to a real Alertmanager and a webhook', () => {
  let alertmanager: AlertmanagerProcess;
  let server: TestReceiver;
  let hook: Server;
  let hookDirectory: string;
  const hookBodies: unknown[] = [];
  // A webhook that is briefly down: answers 503 to its first two requests, then takes alerts.
  let flaky: import('node:http').Server;
  const flakyAnswers: number[] = [];
  const flakyTimes: number[] = [];
  const flakyBodies: unknown[] = [];

  beforeAll(async () => {
    alertmanager = await startAlertmanager();
    // A webhook receiver over https with a certificate only its caBundle vouches for.
    hookDirectory = mkdtempSync(join(tmpdir(), 'auditorium-hook-'));
    const tls = await loadTlsMaterial({ directory: hookDirectory });
    hook = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        hookBodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookPort = (hook.address() as { port: number }).port;
    flaky = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = flakyAnswers.length < 2 ? 503 : 200;
        flakyAnswers.push(status);
        flakyTimes.push(performance.now());
        if (status === 200) flakyBodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(status).end(status === 503 ? 'warming up' : '');
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const flakyPort = (flaky.address() as { port: number }).port;

    server = await startTestReceiver({
      configObjects: shippedConfig({
        k8sAuditingEnabled: true,
        receivers: [
          // KubeSphere's exporter keeps only host and port of a url and always speaks plain http.
          { name: 'alert', type: 'alertmanager', config: { url: `https://${new URL(alertmanager.url).host}/ignored` } },
          {
            name: 'hook',
            type: 'webhook',
            config: {
              url: `https://127.0.0.1:${hookPort}/audit-alerts`,
              caBundle: Buffer.from(tls.ca!).toString('base64'),
            },
          },
          { name: 'nowhere', type: 'webhook', config: { url: 'http://127.0.0.1:9/closed' } },
          { name: 'flaky', type: 'webhook', config: { url: `http://127.0.0.1:${flakyPort}/alerts` } },
        ],
      }),
      alertDelivery: { initialBackoffMs: 20, maxBackoffMs: 50, maxAttempts: 3 },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await alertmanager?.stop();
    await new Promise((resolve) => hook?.close(resolve));
    await new Promise((resolve) => flaky?.close(resolve));
    if (hookDirectory) rmSync(hookDirectory, { recursive: true, force: true });
  });

  test('an exec into a pod raises the AttachOrExecPod alert with exactly KubeSphere labels', async () => {
    const exec = kubernetesEvent({
      verb: 'create',
      resource: 'pods',
      subresource: 'exec',
      namespace: 'demo',
      name: 'web-0',
      username: 'alice',
    });
    // The ack does not wait for alert delivery.
    expect((await server.post(kubernetesBatch([exec]))).status).toBe(200);

    await expect
      .poll(async () => (await alertmanager.alerts()).filter((alert) => alert.labels.alertname === 'AttachOrExecPod'), {
        timeout: 10_000,
      })
      .toHaveLength(1);
    const [alert] = (await alertmanager.alerts()).filter((entry) => entry.labels.alertname === 'AttachOrExecPod');
    expect(alert?.labels).toEqual({
      alertname: 'AttachOrExecPod',
      alerttype: 'auditing',
      namespace: 'demo',
      resource: 'pods',
      name: 'web-0',
      user: 'alice',
      group: '["system:nodes","system:authenticated"]',
      verb: 'create',
      requestReceivedTimestamp: '2021-09-13 10:00:06.655851 +0000 UTC',
    });
    expect(alert?.annotations).toEqual({ message: 'alice exec Pod web-0 in Namespace demo.' });

    // The webhook receiver got the same alert array over https, trusting only its caBundle.
    await expect.poll(() => hookBodies.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(hookBodies[0]).toEqual([{ labels: alert?.labels, annotations: alert?.annotations }]);
  });

  test('counts failed deliveries and shows the last error per receiver, without holding up the others', async () => {
    await expect
      .poll(() => server.receiver.receiverStatus().find((status) => status.name === 'nowhere')?.state, {
        timeout: 10_000,
      })
      .toBe('failing');
    const statuses = Object.fromEntries(server.receiver.receiverStatus().map((status) => [status.name, status]));
    expect(statuses.alert).toMatchObject({ type: 'alertmanager', state: 'ok', sent: 1, endpoint: alertmanager.url });
    expect(statuses.hook).toMatchObject({ type: 'webhook', state: 'ok', sent: 1 });
    expect(statuses.nowhere).toMatchObject({ failedAttempts: 3, dropped: 1, sent: 0 });
    expect(statuses.nowhere?.lastError?.message).toContain('127.0.0.1:9');
    const metrics = await server.receiver.metrics.registry.metrics();
    expect(metrics).toContain('auditorium_alert_failures_total{receiver="nowhere"} 3');
    expect(metrics).toContain('auditorium_alerts_sent_total{receiver="alert"} 1');
    expect(metrics).toContain('auditorium_alerts_dropped_total{receiver="nowhere",reason="retries-exhausted"} 1');
  });

  test('retries a failed delivery with backoff until the receiver takes it', async () => {
    await expect.poll(() => flakyBodies.length, { timeout: 10_000 }).toBe(1);
    expect(flakyAnswers).toEqual([503, 503, 200]);
    // Exponential backoff (20 ms, then 40 ms, plus jitter): each retry waits longer than the one before.
    const [first = 0, second = 0, third = 0] = flakyTimes;
    expect(second - first).toBeGreaterThanOrEqual(19);
    expect(third - second).toBeGreaterThanOrEqual(39);
    expect((flakyBodies[0] as Array<{ labels: { alertname: string } }>)[0]?.labels.alertname).toBe('AttachOrExecPod');
    // The server has the body before the dispatcher has read its 200: wait for the dispatcher to count it.
    const flaky = () => server.receiver.receiverStatus().find((status) => status.name === 'flaky');
    await expect.poll(() => flaky()?.state, { timeout: 5_000 }).toBe('ok');
    const flakyStatus = flaky();
    expect(flakyStatus).toMatchObject({ state: 'ok', sent: 1, failedAttempts: 2, dropped: 0 });
    expect(flakyStatus?.lastError?.message).toContain('answered 503: warming up');
    expect(await server.receiver.metrics.registry.metrics()).toContain(
      'auditorium_alert_failures_total{receiver="flaky"} 2',
    );
  });
});
