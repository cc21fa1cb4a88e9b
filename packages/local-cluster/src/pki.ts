// Certificates and keys, made once and kept in the data directory so that restarts keep every client's trust.
// ECDSA P-256 throughout: Go, Node and kubectl all accept it, and it is generated in milliseconds.
// A certificate is re-issued when it is missing, expires within a month, or lacks a name it must carry
// (a new ClusterIP, say); its CA is kept, so clients that trust the CA keep working.
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
// tsyringe, under @peculiar/x509, refuses to load without the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

const crypto = webcrypto as unknown as Crypto;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
x509.cryptoProvider.set(crypto);

const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_LIFETIME_DAYS = 3650;
const LEAF_LIFETIME_DAYS = 825;
const RENEW_BEFORE_DAYS = 30;

export interface CertificateAuthority {
  certFile: string;
  certPem: string;
  cert: x509.X509Certificate;
  key: CryptoKey;
}

export interface LeafRequest {
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  usage: 'server' | 'client' | 'server-and-client';
}

/** Writes through a temporary file, so a crash mid-write never leaves half a key. */
export function writeFileAtomic(file: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function publicKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('spki', key);
  return x509.PemConverter.encode(der, 'PUBLIC KEY');
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), KEY_ALGORITHM, true, ['sign']);
}

function expiresSoon(cert: x509.X509Certificate): boolean {
  return cert.notAfter.getTime() - Date.now() < RENEW_BEFORE_DAYS * DAY_MS;
}

function randomSerial(): string {
  // Positive 16-byte serial: clear the top bit so DER does not read it as negative.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** Loads the CA at certFile/keyFile, or creates it. */
export async function ensureCertificateAuthority(
  certFile: string,
  keyFile: string,
  commonName: string,
): Promise<CertificateAuthority> {
  if (existsSync(certFile) && existsSync(keyFile)) {
    const certPem = readFileSync(certFile, 'utf8');
    const cert = new x509.X509Certificate(certPem);
    if (!expiresSoon(cert)) {
      return { certFile, certPem, cert, key: await importPrivateKey(readFileSync(keyFile, 'utf8')) };
    }
  }
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + CA_LIFETIME_DAYS * DAY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString('pem');
  writeFileAtomic(keyFile, await privateKeyPem(keys.privateKey), 0o600);
  writeFileAtomic(certFile, `${certPem}\n`);
  return { certFile, certPem, cert, key: keys.privateKey };
}

function hasAllNames(cert: x509.X509Certificate, request: LeafRequest): boolean {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  if (!san) return false;
  const names = san.names.toJSON().map((name) => `${name.type}:${name.value}`);
  return [...request.dnsNames.map((dns) => `dns:${dns}`), ...request.ipAddresses.map((ip) => `ip:${ip}`)].every(
    (wanted) => names.includes(wanted),
  );
}

/** Issues (or keeps) a leaf certificate signed by `ca`, with the names a Go or Node client will check. */
export async function ensureLeafCertificate(
  ca: CertificateAuthority,
  certFile: string,
  keyFile: string,
  request: LeafRequest,
): Promise<void> {
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = new x509.X509Certificate(readFileSync(certFile, 'utf8'));
    const signedByCa = cert.issuer === ca.cert.subject && (await cert.verify({ publicKey: ca.cert.publicKey }));
    if (signedByCa && !expiresSoon(cert) && hasAllNames(cert, request)) return;
  }
  const keys = await generateKeys();
  const now = Date.now();
  const usages = {
    server: [x509.ExtendedKeyUsage.serverAuth],
    client: [x509.ExtendedKeyUsage.clientAuth],
    'server-and-client': [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
  }[request.usage];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${request.commonName}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + LEAF_LIFETIME_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(usages),
      new x509.SubjectAlternativeNameExtension([
        ...request.dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...request.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
    ],
  });
  writeFileAtomic(keyFile, await privateKeyPem(keys.privateKey), 0o600);
  writeFileAtomic(certFile, `${cert.toString('pem')}\n`);
}

/** The key pair that signs and verifies ServiceAccount tokens; made once, since a new one voids old tokens. */
export async function ensureServiceAccountKeys(privateKeyFile: string, publicKeyFile: string): Promise<void> {
  if (existsSync(privateKeyFile) && existsSync(publicKeyFile)) return;
  const keys = await generateKeys();
  writeFileAtomic(privateKeyFile, await privateKeyPem(keys.privateKey), 0o600);
  writeFileAtomic(publicKeyFile, await publicKeyPem(keys.publicKey));
}
