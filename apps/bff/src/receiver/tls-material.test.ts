import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { defaultServingNames, loadTlsMaterial } from './tls-material.ts';

describe('receiver TLS material', () => {
  const directory = mkdtempSync(join(tmpdir(), 'auditorium-tls-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test('generates a CA and a serving certificate for the kube-auditing-webhook Service names', async () => {
    const material = await loadTlsMaterial({ directory });
    const serving = new X509Certificate(material.cert);
    const ca = new X509Certificate(material.ca!);
    expect(serving.checkIssued(ca)).toBe(true);
    expect(serving.verify(ca.publicKey)).toBe(true);
    for (const name of [
      'kube-auditing-webhook-svc',
      'kube-auditing-webhook-svc.kubesphere-logging-system',
      'kube-auditing-webhook-svc.kubesphere-logging-system.svc',
      'kube-auditing-webhook-svc.kubesphere-logging-system.svc.cluster.local',
      'localhost',
    ]) {
      expect(serving.checkHost(name), name).toBe(name);
    }
    expect(serving.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(serving.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    expect(readFileSync(join(directory, 'tls.key'), 'utf8')).toContain('PRIVATE KEY');
    expect(defaultServingNames).toContain('kube-auditing-webhook-svc.kubesphere-logging-system.svc');
  });

  test('reuses what it generated, and re-issues from the same CA when a name is added', async () => {
    const first = await loadTlsMaterial({ directory });
    const again = await loadTlsMaterial({ directory });
    expect(again.cert).toBe(first.cert);
    const widened = await loadTlsMaterial({ directory, extraNames: ['audit.example.com', '10.96.0.42'] });
    expect(widened.cert).not.toBe(first.cert);
    expect(widened.ca).toBe(first.ca);
    const serving = new X509Certificate(widened.cert);
    expect(serving.checkHost('audit.example.com')).toBe('audit.example.com');
    expect(serving.checkIP('10.96.0.42')).toBe('10.96.0.42');
  });

  test('uses given certificate and key files as they are', async () => {
    const given = await loadTlsMaterial({
      directory: join(directory, 'unused'),
      certFile: join(directory, 'tls.crt'),
      keyFile: join(directory, 'tls.key'),
    });
    expect(given.cert).toBe(readFileSync(join(directory, 'tls.crt'), 'utf8'));
    expect(given.ca).toBeUndefined();
    await expect(loadTlsMaterial({ directory, certFile: join(directory, 'tls.crt') })).rejects.toThrow(
      'RECEIVER_TLS_CERT and RECEIVER_TLS_KEY',
    );
  });
});
