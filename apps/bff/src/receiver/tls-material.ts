import { X509Certificate as NodeX509Certificate, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { auditingNamespace } from '@auditorium/audit-model';
// tsyringe, under @peculiar/x509, refuses to load without the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/**
 * The receiver's serving certificate. Given files win (the local cluster writes them; in a cluster they are
 * the mounted Secret `kube-auditing-webhook-secret`). Otherwise a self-signed CA and a serving certificate
 * are generated once into `$DATA_DIR/receiver/` and reused, so a sender that pinned the CA keeps working
 * across restarts. The serving certificate is re-issued by the same CA when it nears expiry or lacks a
 * wanted name. kube-apiserver is a Go client: it ignores the CN and needs SANs (reference k8s-audit §3.2).
 */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** PEM of the CA that signed `cert`, for senders to trust (a generated CA, or undefined for given files). */
  ca?: string;
  /** Where it came from, for the startup log. */
  origin: string;
}

export interface TlsMaterialOptions {
  certFile?: string;
  keyFile?: string;
  /** Where generated material lives: `$DATA_DIR/receiver`. */
  directory: string;
  /** Extra DNS names or IP addresses (RECEIVER_TLS_SANS). */
  extraNames?: string[];
}

const serviceName = 'kube-auditing-webhook-svc';
/** The names KubeSphere's own webhook certificate carries, so senders configured for it verify ours. */
export const defaultServingNames = [
  serviceName,
  `${serviceName}.${auditingNamespace}`,
  `${serviceName}.${auditingNamespace}.svc`,
  `${serviceName}.${auditingNamespace}.svc.cluster.local`,
  'localhost',
  '127.0.0.1',
  '::1',
];

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);
const keyAlgorithm: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const signingAlgorithm: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const dayMs = 24 * 60 * 60 * 1000;
const renewBeforeMs = 30 * dayMs;

export async function loadTlsMaterial(options: TlsMaterialOptions): Promise<TlsMaterial> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) {
      throw new Error('RECEIVER_TLS_CERT and RECEIVER_TLS_KEY must be given together');
    }
    return {
      cert: readFileSync(options.certFile, 'utf8'),
      key: readFileSync(options.keyFile, 'utf8'),
      origin: `${options.certFile} and ${options.keyFile}`,
    };
  }
  return ensureGeneratedMaterial(options.directory, [...defaultServingNames, ...(options.extraNames ?? [])]);
}

function writeAtomic(file: string, text: string, mode: number): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, file);
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive in DER
  return Buffer.from(bytes).toString('hex');
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

function coversNames(certPem: string, names: string[]): boolean {
  const cert = new NodeX509Certificate(certPem);
  if (Date.parse(cert.validTo) - Date.now() < renewBeforeMs) return false;
  return names.every((name) => (isIP(name) ? cert.checkIP(name) : cert.checkHost(name)) !== undefined);
}

async function ensureCa(directory: string): Promise<{ cert: x509.X509Certificate; pem: string; key: CryptoKey }> {
  const certFile = join(directory, 'ca.crt');
  const keyFile = join(directory, 'ca.key');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const pem = readFileSync(certFile, 'utf8');
    const cert = new x509.X509Certificate(pem);
    if (cert.notAfter.getTime() - Date.now() > renewBeforeMs) {
      const key = await crypto.subtle.importKey(
        'pkcs8',
        x509.PemConverter.decodeFirst(readFileSync(keyFile, 'utf8')),
        keyAlgorithm,
        true,
        ['sign'],
      );
      return { cert, pem, key };
    }
  }
  const keys = (await crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=auditorium-receiver-ca',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3650 * dayMs),
    signingAlgorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pem = cert.toString('pem');
  writeAtomic(keyFile, await privateKeyPem(keys.privateKey), 0o600);
  writeAtomic(certFile, pem, 0o644);
  return { cert, pem, key: keys.privateKey };
}

async function ensureGeneratedMaterial(directory: string, names: string[]): Promise<TlsMaterial> {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const certFile = join(directory, 'tls.crt');
  const keyFile = join(directory, 'tls.key');
  const ca = await ensureCa(directory);
  const uniqueNames = [...new Set(names.map((name) => name.trim()).filter(Boolean))];
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    const issuedByCa = new NodeX509Certificate(cert).checkIssued(new NodeX509Certificate(ca.pem));
    if (issuedByCa && coversNames(cert, uniqueNames)) {
      return { cert, key: readFileSync(keyFile, 'utf8'), ca: ca.pem, origin: `${certFile} (generated earlier)` };
    }
  }
  const keys = (await crypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const serving = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${serviceName}.${auditingNamespace}.svc`,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 825 * dayMs),
    signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        uniqueNames.map((name) => (isIP(name) ? { type: 'ip', value: name } : { type: 'dns', value: name })),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
    ],
  });
  // The chain (serving + CA) lets a sender that trusts only the CA verify without extra configuration.
  const cert = `${serving.toString('pem')}\n${ca.pem}`;
  writeAtomic(keyFile, await privateKeyPem(keys.privateKey), 0o600);
  writeAtomic(certFile, cert, 0o644);
  return { cert, key: readFileSync(keyFile, 'utf8'), ca: ca.pem, origin: `${certFile} (generated now)` };
}
