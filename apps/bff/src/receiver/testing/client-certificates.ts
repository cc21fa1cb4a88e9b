import { webcrypto } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/**
 * A client CA and a client certificate it signed, as kube-apiserver would present from its audit-webhook
 * kubeconfig (`client-certificate-data`), for the client-certificate check tests.
 */
export interface ClientCredentials {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);
const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

async function keyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

export async function makeClientCredentials(commonName = 'kube-apiserver-audit'): Promise<ClientCredentials> {
  const caKeys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${commonName}-ca`,
    keys: caKeys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  const clientKeys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const client = await x509.X509CertificateGenerator.create({
    subject: `CN=${commonName}`,
    issuer: ca.subject,
    publicKey: clientKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  return { caPem: ca.toString('pem'), certPem: client.toString('pem'), keyPem: await keyPem(clientKeys.privateKey) };
}
