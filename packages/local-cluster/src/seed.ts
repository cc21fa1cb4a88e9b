// Puts the KubeSphere auditing objects into the cluster on every start, idempotently. Two kinds of objects:
// - ours (namespaces, CRDs, RBAC, Services, fake nodes, the ks-apiserver Deployment, the receiver's TLS Secret):
//   server-side applied with our field manager, so upgrades of the seed reach existing data directories;
// - the user's (the Webhook, the Rules, the kubesphere-config ConfigMap): created only when absent, because
//   people edit them through the console or kubectl, and a restart must not undo that.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  ApiextensionsV1Api,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

export const SEED_DIR = fileURLToPath(new URL('../seed/', import.meta.url));
export const FIELD_MANAGER = 'auditorium-local-cluster';

/** Where KubeSphere keeps the receiver and its Secret (the kube-auditing Helm release namespace). */
export const AUDITING_NAMESPACE = 'kubesphere-logging-system';
export const RECEIVER_SECRET_NAME = 'kube-auditing-webhook-secret';

export interface ReceiverTlsPem {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface SeedOptions {
  receiverPort: number;
  receiverTls: ReceiverTlsPem;
  log?: (line: string) => void;
}

/** Parses a seed file into objects, replacing ${NAME} placeholders first. */
export function loadSeedObjects(file: string, variables: Record<string, string> = {}): KubernetesObject[] {
  let text = readFileSync(join(SEED_DIR, file), 'utf8');
  for (const [name, value] of Object.entries(variables)) text = text.replaceAll(`\${${name}}`, value);
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null && typeof object === 'object')
    .map((object) => {
      // CRD files from controller-gen carry an empty status and a null creationTimestamp; neither is ours to apply.
      const { status: _status, ...rest } = object as KubernetesObject & { status?: unknown };
      if (rest.metadata && rest.metadata.creationTimestamp === null) delete rest.metadata.creationTimestamp;
      return rest;
    });
}

export function receiverSecret(tls: ReceiverTlsPem): KubernetesObject & { type: string; data: Record<string, string> } {
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: RECEIVER_SECRET_NAME,
      namespace: AUDITING_NAMESPACE,
      labels: { app: 'kube-auditing-webhook' },
    },
    // The kube-auditing operator's Secret: the serving pair plus the CA that clients (kube-apiserver's audit
    // webhook, ks-apiserver) must trust, under the key caBundle.
    type: 'Opaque',
    data: { 'tls.crt': base64(tls.certPem), 'tls.key': base64(tls.keyPem), caBundle: base64(tls.caPem) },
  };
}

async function apply(client: KubernetesObjectApi, object: KubernetesObject): Promise<void> {
  await client.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

/** Creates the object unless one of that name exists. Returns whether it created it. */
async function createIfAbsent(client: KubernetesObjectApi, object: KubernetesObject): Promise<boolean> {
  try {
    await client.create(object, undefined, undefined, FIELD_MANAGER);
    return true;
  } catch (error) {
    if (error instanceof ApiException && error.code === 409) return false;
    throw error;
  }
}

async function waitForEstablished(kc: KubeConfig, names: string[], timeoutMs = 30_000): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name });
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CustomResourceDefinition ${name} was not Established in time`);
      await sleep(200);
    }
  }
}

function describe(object: KubernetesObject): string {
  const namespace = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind} ${namespace}${object.metadata?.name}`;
}

/** Applies the seed with `kc` (a system:masters identity: the seed creates the RBAC the others rely on). */
export async function applySeed(kc: KubeConfig, options: SeedOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const client = KubernetesObjectApi.makeApiClient(kc);
  const applyAll = async (objects: KubernetesObject[]) => {
    for (const object of objects) {
      try {
        await apply(client, object);
      } catch (error) {
        throw new Error(`seeding ${describe(object)} failed: ${errorText(error)}`);
      }
    }
  };

  const crds = readdirSync(join(SEED_DIR, 'crds'))
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => loadSeedObjects(join('crds', file)));
  await applyAll([...loadSeedObjects('namespaces.yaml'), ...crds, ...loadSeedObjects('rbac.yaml')]);
  await applyAll([
    ...loadSeedObjects('services.yaml'),
    ...loadSeedObjects('nodes.yaml'),
    ...loadSeedObjects('ks-apiserver.yaml'),
    receiverSecret(options.receiverTls),
  ]);
  await waitForEstablished(
    kc,
    crds.map((crd) => crd.metadata?.name ?? ''),
  );

  const userOwned = [
    ...loadSeedObjects('kubesphere-config.yaml', { RECEIVER_PORT: String(options.receiverPort) }),
    ...loadSeedObjects(join('kube-auditing', 'webhook.yaml')),
    ...loadSeedObjects(join('kube-auditing', 'rules.yaml')).map((rule) => ({
      ...rule,
      metadata: { ...rule.metadata, namespace: AUDITING_NAMESPACE },
    })),
  ];
  for (const object of userOwned) {
    try {
      if (await createIfAbsent(client, object)) log(`seeded ${describe(object)}`);
    } catch (error) {
      throw new Error(`seeding ${describe(object)} failed: ${errorText(error)}`);
    }
  }
}

/** The apiserver's Status message of a client-node error, else the error's own message. */
export function errorText(error: unknown): string {
  if (error instanceof ApiException) {
    try {
      const status = (typeof error.body === 'string' ? JSON.parse(error.body) : error.body) as { message?: string };
      if (status?.message) return `${error.code}: ${status.message}`;
    } catch {
      // Not JSON: fall through.
    }
    return `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}
