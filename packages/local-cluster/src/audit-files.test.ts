import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { AUDIT_WEBHOOK_PATH, seedAuditPolicy, writeAuditWebhookConfig } from './audit-files.ts';
import { type AuditReceiver, startAuditReceiver } from './testing/audit-receiver.ts';
import { clusterInfo, createTestNamespace, kubectl } from './testing/test-cluster.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('the audit webhook configuration file', () => {
  test.each([
    { name: 'writes a missing file', before: null, port: 7000, written: true, userEdited: false },
    {
      name: 'rewrites its own file when the receiver port changes',
      before: 'generated:6443',
      port: 7000,
      written: true,
      userEdited: false,
    },
    {
      name: 'keeps its own file when nothing changed',
      before: 'generated:7000',
      port: 7000,
      written: false,
      userEdited: false,
    },
    { name: 'leaves a file the user edited alone', before: 'edited', port: 7000, written: false, userEdited: true },
  ])('$name', ({ before, port, written, userEdited }) => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-files-'));
    try {
      const file = join(dir, 'audit-webhook.yaml');
      if (before?.startsWith('generated:')) writeAuditWebhookConfig(file, Number(before.split(':')[1]), CA);
      if (before === 'edited') {
        writeAuditWebhookConfig(file, port, CA);
        writeFileSync(file, `${readFileSync(file, 'utf8')}# mine\n`);
      }
      const result = writeAuditWebhookConfig(file, port, CA);
      expect(result).toEqual({ written, userEdited });
      const config = parse(readFileSync(file, 'utf8')) as {
        clusters: { cluster: Record<string, string> }[];
        'current-context': string;
      };
      expect(config['current-context']).toBe('default-context');
      const cluster = config.clusters[0]?.cluster ?? {};
      expect(cluster['insecure-skip-tls-verify']).toBeUndefined();
      if (!userEdited) {
        expect(cluster.server).toBe(`https://127.0.0.1:${port}${AUDIT_WEBHOOK_PATH}`);
        expect(Buffer.from(cluster['certificate-authority-data'] ?? '', 'base64').toString()).toBe(CA);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('seeds the recommended policy once and never over a user policy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-policy-'));
    try {
      const file = join(dir, 'audit', 'audit-policy.yaml');
      expect(seedAuditPolicy(file)).toBe(true);
      expect(parse(readFileSync(file, 'utf8'))).toMatchObject({ kind: 'Policy', omitStages: ['RequestReceived'] });
      writeFileSync(file, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None}]\n');
      expect(seedAuditPolicy(file)).toBe(false);
      expect(readFileSync(file, 'utf8')).toContain('level: None');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kube-apiserver auditing to the receiver', () => {
  let receiver: AuditReceiver;
  beforeAll(async () => {
    const tls = clusterInfo().receiverTls;
    if (!tls) throw new Error('this test needs the local cluster (its receiver TLS files); KUBECONFIG names another');
    receiver = await startAuditReceiver({ port: clusterInfo().receiverPort, ...tls });
  });
  afterAll(async () => {
    await receiver?.close();
  });

  const eventsIn = (namespace: string) => receiver.events().filter((event) => event.objectRef?.namespace === namespace);

  test('posts kubectl requests as audit.k8s.io/v1 EventLists, at the levels the seeded policy gives', async () => {
    const namespace = await createTestNamespace('audit');
    try {
      for (const args of [
        ['create', 'configmap', 'settings', '--from-literal=mode=dark'],
        ['create', 'secret', 'generic', 'password', '--from-literal=password=hunter2'],
        ['run', 'web', '--image=nginx:1.27', '--restart=Never'],
        ['get', 'secret', 'password'],
      ]) {
        const result = await kubectl([...args, '-n', namespace.name], { context: 'admin' });
        expect(result.status, result.stderr).toBe(0);
      }
      const find = (verb: string, resource: string) =>
        eventsIn(namespace.name).find(
          (event) =>
            event.verb === verb && event.objectRef?.resource === resource && event.userAgent?.startsWith('kubectl'),
        );
      await expect
        .poll(
          () =>
            ['configmaps', 'secrets', 'pods'].every((resource) => find('create', resource)) && find('get', 'secrets'),
          {
            timeout: 20_000,
            interval: 250,
          },
        )
        .toBeTruthy();

      const delivery = receiver.deliveries.find((d) =>
        d.body.items.some((event) => event.objectRef?.namespace === namespace.name),
      );
      expect(delivery?.contentType).toBe('application/json');
      expect(delivery?.body).toMatchObject({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1' });
      // omitStages: [RequestReceived]
      expect(eventsIn(namespace.name).map((event) => event.stage)).not.toContain('RequestReceived');

      const secretCreate = find('create', 'secrets');
      expect(secretCreate).toMatchObject({ level: 'Metadata', user: { username: 'admin' } });
      expect(secretCreate?.requestObject).toBeUndefined();
      expect(find('get', 'secrets')?.responseObject).toBeUndefined();
      expect(find('create', 'configmaps')).toMatchObject({ level: 'Metadata', stage: 'ResponseComplete' });
      const podCreate = find('create', 'pods');
      expect(podCreate).toMatchObject({ level: 'RequestResponse', objectRef: { name: 'web' } });
      expect(podCreate?.requestObject).toMatchObject({ kind: 'Pod' });
      expect(podCreate?.responseObject).toMatchObject({ kind: 'Pod' });
    } finally {
      await namespace.remove();
    }
  });
});
