import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { receiverPath, type Status } from '@auditorium/audit-model';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { createApp } from '../app.ts';
import { clusterAccess } from '../kube/cluster-access.ts';
import { testCluster, testKubeConfig } from '../receiver/testing/local-cluster.ts';
import { auditPolicySchema } from '../setup/audit-policy-schema.ts';
import { decideLevel } from '../setup/policy-match.ts';
import { receiverService } from '../setup/receiver-location.ts';
import { callAs, jsonOf, type TestApp, type TestUser } from '../testing/cluster-app.ts';
import type { SetupFiles } from './setup.ts';

/**
 * The generated Kubernetes setup, read back the way kube-apiserver and the kubelet would read it: the
 * policy against the audit.k8s.io/v1 schema and its rules, the webhook kubeconfig as a kubeconfig whose
 * server is the receiver Service's ClusterIP (looked up in the real cluster) and whose CA really signed the
 * receiver's certificate, and the manifest snippet's flags and mount matching the files' paths.
 */
interface ManifestSnippet {
  spec: {
    containers: Array<{
      name: string;
      command: string[];
      volumeMounts: Array<{ mountPath: string; readOnly: boolean }>;
    }>;
    volumes: Array<{ hostPath: { path: string } }>;
  };
}

describe('Kubernetes setup files from a real cluster', () => {
  let kubeConfig: KubeConfig;
  let dir: string;
  let app: TestApp;
  let clusterIP: string;
  let servicePort: number;

  const generate = (user: TestUser, body: unknown) => callAs(app, kubeConfig, user, '/api/setup', { body });

  beforeAll(async () => {
    kubeConfig = testKubeConfig();
    const service = await kubeConfig.makeApiClient(CoreV1Api).readNamespacedService(receiverService);
    clusterIP = service.spec?.clusterIP ?? '';
    servicePort = service.spec?.ports?.[0]?.port ?? 0;
    dir = mkdtempSync(join(tmpdir(), 'auditorium-setup-'));
    app = createApp({ version: '0.0.0', consoleDir: dir, probes: {}, cluster: clusterAccess('local', kubeConfig) });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test.each(['minimal', 'recommended'] as const)(
    'the %s audit-policy.yaml parses back to a valid Policy',
    async (preset) => {
      const setup = await jsonOf<SetupFiles>(await generate('admin', { preset }), 200);
      expect(setup.preset).toBe(preset);
      const policy = auditPolicySchema.parse(parse(setup.files.auditPolicy.content));
      expect(policy.rules.length).toBeGreaterThan(0);
      expect(setup.files.auditPolicy.path).toBe('/etc/kubernetes/audit/audit-policy.yaml');
      if (preset === 'recommended') {
        expect(policy.omitStages).toContain('RequestReceived');
        // Secrets never above Metadata (their content would be archived); the noisy reads dropped.
        for (const verb of ['get', 'create', 'update', 'delete']) {
          const secret = decideLevel(policy, { verb, group: '', resource: 'secrets', namespace: 'demo' }).level;
          expect(['Metadata', 'None'], verb).toContain(secret);
        }
        expect(
          decideLevel(policy, {
            user: 'system:kube-proxy',
            verb: 'watch',
            group: 'discovery.k8s.io',
            resource: 'endpointslices',
          }).level,
        ).toBe('None');
      } else {
        expect(policy.rules).toEqual([{ level: 'Metadata' }]);
      }
    },
  );

  test("audit-webhook.yaml points at the ClusterIP of kube-auditing-webhook-svc with the receiver's CA", async () => {
    const setup = await jsonOf<SetupFiles>(await generate('admin', { preset: 'recommended' }), 200);
    const text = setup.files.auditWebhookConfig.content;
    expect(text).not.toContain('insecure-skip-tls-verify');
    const webhook = new KubeConfig();
    webhook.loadFromString(text);
    const cluster = webhook.getCurrentCluster();
    expect(clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(cluster?.server).toBe(`https://${clusterIP}:${servicePort}${receiverPath}`);
    expect(cluster?.skipTLSVerify).toBe(false);
    expect(setup.receiver).toMatchObject({ server: cluster?.server, serverSource: 'service', caSource: 'secret' });

    // The embedded CA is a certificate that signed the receiver's serving certificate.
    const ca = new X509Certificate(Buffer.from(cluster?.caData ?? '', 'base64'));
    expect(ca.ca).toBe(true);
    const receiverTls = testCluster().receiverTls;
    if (receiverTls) {
      const serving = new X509Certificate(readFileSync(receiverTls.certFile));
      expect(serving.checkIssued(ca)).toBe(true);
      expect(serving.verify(ca.publicKey)).toBe(true);
    }
    // No token asked for, none written; kube-apiserver then sends no Authorization header.
    expect(webhook.getCurrentUser()?.token).toBeUndefined();
  });

  test('a receiver token and another server go into the kubeconfig as given', async () => {
    const server = 'https://audit.example.com:30443/audit/webhook/event';
    const setup = await jsonOf<SetupFiles>(
      await generate('admin', { preset: 'minimal', token: 'receiver-secret', server }),
      200,
    );
    const webhook = new KubeConfig();
    webhook.loadFromString(setup.files.auditWebhookConfig.content);
    expect(webhook.getCurrentCluster()?.server).toBe(server);
    expect(webhook.getCurrentUser()?.token).toBe('receiver-secret');
    expect(setup.receiver.serverSource).toBe('request');
  });

  test('the manifest snippet turns the webhook on with the chosen batch wait and mounts the files', async () => {
    const setup = await jsonOf<SetupFiles>(await generate('admin', { batchMaxWait: '2s' }), 200);
    const snippet = parse(setup.files.apiserverManifest.content) as ManifestSnippet;
    const container = snippet.spec.containers.find((entry) => entry.name === 'kube-apiserver');
    const flags = new Map(container?.command.map((flag) => flag.split('=') as [string, string]));
    expect(flags.get('--audit-webhook-batch-max-wait')).toBe('2s');
    expect(flags.get('--audit-webhook-mode')).toBe('batch');
    expect(flags.get('--audit-policy-file')).toBe(setup.files.auditPolicy.path);
    expect(flags.get('--audit-webhook-config-file')).toBe(setup.files.auditWebhookConfig.path);
    // Both files live in the directory the snippet mounts read-only from the host.
    const mount = container?.volumeMounts[0];
    expect(mount?.readOnly).toBe(true);
    expect(posix.dirname(setup.files.auditPolicy.path)).toBe(mount?.mountPath);
    expect(posix.dirname(setup.files.auditWebhookConfig.path)).toBe(mount?.mountPath);
    expect(snippet.spec.volumes[0]?.hostPath.path).toBe(mount?.mountPath);
  });

  test('a user who may not read the Service or Secret gets a placeholder and a CA file, never skipped TLS', async () => {
    const setup = await jsonOf<SetupFiles>(await generate('tenant', {}), 200);
    expect(setup.receiver).toMatchObject({ serverSource: 'placeholder', caSource: 'node-file' });
    const text = setup.files.auditWebhookConfig.content;
    expect(text).not.toContain('insecure-skip-tls-verify');
    const webhook = new KubeConfig();
    webhook.loadFromString(text);
    expect(webhook.getCurrentCluster()?.caFile).toBe('/etc/kubernetes/audit/receiver-ca.crt');
    expect(setup.receiver.notes.join('\n')).toContain('RECEIVER-ADDRESS');
  });

  test('a bad request is a 422 naming each field', async () => {
    const status = await jsonOf<Status>(
      await generate('admin', { preset: 'everything', batchMaxWait: '1 hour', server: 'http://plain.example' }),
      422,
    );
    expect(status.details?.causes?.map((cause) => cause.field).sort()).toEqual(['batchMaxWait', 'preset', 'server']);
  });
});
