import { mkdtempSync, rmSync } from 'node:fs';
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
        ],
      }),
      alertDelivery: { initialBackoffMs: 20, maxBackoffMs: 50, maxAttempts: 3 },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await alertmanager?.stop();
    await new Promise((resolve) => hook?.close(resolve));
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
});
