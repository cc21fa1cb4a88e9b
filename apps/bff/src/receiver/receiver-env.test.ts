import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { receiverOptionsFromEnv } from './index.ts';

describe('receiver environment', () => {
  test('defaults to TLS on 127.0.0.1:6443 with a 32 MiB body limit', () => {
    expect(receiverOptionsFromEnv({})).toEqual({
      host: '127.0.0.1',
      port: 6443,
      dataDir: resolve('.auditorium'),
      tls: { extraNames: [] },
      maxBodyBytes: 32 * 1024 * 1024,
      maxPendingEvents: 50_000,
      archiveStdout: false,
      retentionMs: 7 * 86_400_000,
    });
  });

  test('reads every variable', () => {
    expect(
      receiverOptionsFromEnv({
        HOST: '0.0.0.0',
        RECEIVER_PORT: '7443',
        DATA_DIR: '/var/lib/auditorium',
        RECEIVER_TLS: 'true',
        RECEIVER_TLS_CERT: '/tls/tls.crt',
        RECEIVER_TLS_KEY: '/tls/tls.key',
        RECEIVER_TLS_SANS: 'audit.example.com, 10.0.0.5',
        RECEIVER_TOKEN_SECRET: 'kubesphere-logging-system/receiver-token',
        RECEIVER_CLIENT_CA_FILE: '/tls/client-ca.crt',
        RECEIVER_MAX_BODY_BYTES: '1048576',
        RECEIVER_MAX_PENDING_EVENTS: '1000',
        ARCHIVE_STDOUT: 'TRUE',
        ARCHIVE_RETENTION_DAYS: '30',
      }),
    ).toEqual({
      host: '0.0.0.0',
      port: 7443,
      dataDir: '/var/lib/auditorium',
      tls: { certFile: '/tls/tls.crt', keyFile: '/tls/tls.key', extraNames: ['audit.example.com', '10.0.0.5'] },
      tokenSecret: 'kubesphere-logging-system/receiver-token',
      clientCaFile: '/tls/client-ca.crt',
      maxBodyBytes: 1_048_576,
      maxPendingEvents: 1000,
      archiveStdout: true,
      retentionMs: 30 * 86_400_000,
    });
  });

  test('turns TLS off only when asked', () => {
    expect(receiverOptionsFromEnv({ RECEIVER_TLS: 'false' }).tls).toBe(false);
  });

  test.each([
    { name: 'a port that is not a number', env: { RECEIVER_PORT: 'https' }, message: 'RECEIVER_PORT' },
    { name: 'a flag that is not a boolean', env: { RECEIVER_TLS: 'maybe' }, message: 'RECEIVER_TLS' },
    {
      name: 'a Secret reference without a namespace',
      env: { RECEIVER_TOKEN_SECRET: 'token' },
      message: 'namespace/name',
    },
    { name: 'a certificate without its key', env: { RECEIVER_TLS_CERT: '/tls/tls.crt' }, message: 'together' },
    {
      name: 'a client CA without TLS',
      env: { RECEIVER_TLS: 'off', RECEIVER_CLIENT_CA_FILE: '/ca' },
      message: 'needs TLS',
    },
  ])('refuses $name, naming the variable', ({ env, message }) => {
    expect(() => receiverOptionsFromEnv(env)).toThrow(message);
  });
});
