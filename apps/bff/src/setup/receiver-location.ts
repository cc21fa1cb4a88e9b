import { readFile } from 'node:fs/promises';
import { auditingNamespace, receiverPath, webhookName } from '@auditorium/audit-model';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeStatus } from '../kube/kube-errors.ts';
import { receiverCaPath } from './apiserver-manifest.ts';
import type { ReceiverCa } from './audit-webhook-config.ts';

/**
 * Where kube-apiserver should send events and how it verifies the receiver, looked up as the signed-in
 * user: the ClusterIP of the receiver's Service (`kube-auditing-webhook-svc`, what the kube-auditing
 * operator creates) and the CA from its Secret (`kube-auditing-webhook-secret`) when the user may read it,
 * else from RECEIVER_CA_FILE, else a file the admin copies to the node.
 */
export const receiverService = { namespace: auditingNamespace, name: `${webhookName}-svc` } as const;
export const receiverSecret = { namespace: auditingNamespace, name: `${webhookName}-secret` } as const;

export interface ReceiverLocation {
  server: string;
  serverSource: 'service' | 'request' | 'placeholder';
  ca: ReceiverCa;
  caSource: 'secret' | 'file' | 'node-file';
  /** What was looked up and what the admin still has to do. */
  notes: string[];
}

function why(error: unknown): string {
  return kubeStatus(error)?.message ?? (error instanceof Error ? error.message : String(error));
}

async function serviceServer(core: CoreV1Api, notes: string[]): Promise<string | undefined> {
  try {
    const service = await core.readNamespacedService(receiverService);
    const clusterIP = service.spec?.clusterIP;
    if (!clusterIP || clusterIP === 'None') {
      notes.push(`Service ${receiverService.namespace}/${receiverService.name} has no ClusterIP.`);
      return undefined;
    }
    const port = service.spec?.ports?.find((entry) => entry.name === 'https') ?? service.spec?.ports?.[0];
    const host = clusterIP.includes(':') ? `[${clusterIP}]` : clusterIP;
    notes.push(
      `The receiver address is the ClusterIP of Service ${receiverService.namespace}/${receiverService.name}.`,
    );
    return `https://${host}:${port?.port ?? 6443}${receiverPath}`;
  } catch (error) {
    notes.push(`Could not read Service ${receiverService.namespace}/${receiverService.name}: ${why(error)}`);
    return undefined;
  }
}

/** Secret data is base64; the CA inside may itself be base64 of the PEM (the admission-webhook convention). */
export function pemBase64FromSecretValue(value: string): string | undefined {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (decoded.includes('-----BEGIN CERTIFICATE-----')) return value;
  const twice = Buffer.from(decoded.trim(), 'base64').toString('utf8');
  return twice.includes('-----BEGIN CERTIFICATE-----') ? decoded.trim() : undefined;
}

async function secretCa(core: CoreV1Api, notes: string[]): Promise<string | undefined> {
  try {
    const secret = await core.readNamespacedSecret(receiverSecret);
    for (const key of ['caBundle', 'ca.crt']) {
      const value = secret.data?.[key];
      const pem = value ? pemBase64FromSecretValue(value) : undefined;
      if (pem) {
        notes.push(`The CA comes from Secret ${receiverSecret.namespace}/${receiverSecret.name} (key ${key}).`);
        return pem;
      }
    }
    notes.push(`Secret ${receiverSecret.namespace}/${receiverSecret.name} holds no PEM CA under caBundle or ca.crt.`);
  } catch (error) {
    notes.push(`Could not read Secret ${receiverSecret.namespace}/${receiverSecret.name}: ${why(error)}`);
  }
  return undefined;
}

async function fileCa(caFile: string | undefined, notes: string[]): Promise<string | undefined> {
  if (!caFile) return undefined;
  try {
    const pem = await readFile(caFile, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      notes.push(`RECEIVER_CA_FILE (${caFile}) holds no PEM certificate.`);
      return undefined;
    }
    notes.push(`The CA comes from RECEIVER_CA_FILE (${caFile}).`);
    return Buffer.from(pem).toString('base64');
  } catch (error) {
    notes.push(`Could not read RECEIVER_CA_FILE (${caFile}): ${error instanceof Error ? error.message : error}`);
    return undefined;
  }
}

export async function locateReceiver(
  kubeConfig: KubeConfig,
  options: { server?: string; receiverCaFile?: string },
): Promise<ReceiverLocation> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const notes: string[] = [];
  let server = options.server;
  let serverSource: ReceiverLocation['serverSource'] = 'request';
  if (!server) {
    server = await serviceServer(core, notes);
    serverSource = 'service';
  }
  if (!server) {
    server = `https://RECEIVER-ADDRESS:6443${receiverPath}`;
    serverSource = 'placeholder';
    notes.push(
      'Replace RECEIVER-ADDRESS with an address the kube-apiserver host can reach (ClusterIP, NodePort or load balancer).',
    );
  }
  const fromSecret = await secretCa(core, notes);
  if (fromSecret)
    return { server, serverSource, ca: { kind: 'data', base64Pem: fromSecret }, caSource: 'secret', notes };
  const fromFile = await fileCa(options.receiverCaFile, notes);
  if (fromFile) return { server, serverSource, ca: { kind: 'data', base64Pem: fromFile }, caSource: 'file', notes };
  notes.push(`The receiver's CA is unknown: copy it to ${receiverCaPath} on each control-plane node.`);
  return { server, serverSource, ca: { kind: 'file', path: receiverCaPath }, caSource: 'node-file', notes };
}
