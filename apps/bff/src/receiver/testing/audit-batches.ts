import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RuleCR } from '@auditorium/rule-engine';
import { parseAllDocuments } from 'yaml';
import type { ConfigObjects } from '../config-source.ts';

/**
 * Audit batches and KubeSphere configuration for receiver tests and the benchmark, all derived from the
 * real payloads and shipped CRs in `apps/bff/testdata` (see its README): a test changes what it needs
 * (audit ID, verb, namespace) on a copy of a real event instead of typing events by hand.
 */
const testdata = (name: string) => new URL(`../../../testdata/${name}`, import.meta.url);

const eventList = JSON.parse(readFileSync(testdata('k8s-eventlist-metadata.json'), 'utf8')) as {
  items: Array<Record<string, unknown>>;
};
const kubesphereBatch = JSON.parse(readFileSync(testdata('kubesphere-items.json'), 'utf8')) as {
  Items: Array<Record<string, unknown>>;
};

const localClusterList = JSON.parse(readFileSync(testdata('k8s-eventlist-local-cluster.json'), 'utf8')) as {
  items: Array<Record<string, unknown>>;
};

/** kubelet's real Metadata-level `watch` event (reference k8s-audit §1.6). */
const kubernetesTemplate = eventList.items[0]!;
/** ks-apiserver's event for creating a project (reference §5.2). */
const kubesphereTemplate = kubesphereBatch.Items[0]!;

export interface EventChanges {
  auditID?: string;
  verb?: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
  username?: string;
  stage?: string;
}

/** A kube-apiserver (`audit.k8s.io/v1`) event: the real template with the given changes. */
export function kubernetesEvent(changes: EventChanges = {}): Record<string, unknown> {
  const template = kubernetesTemplate as {
    objectRef: Record<string, unknown>;
    user: Record<string, unknown>;
  };
  const objectRef: Record<string, unknown> = { ...template.objectRef };
  if (changes.namespace !== undefined) objectRef.namespace = changes.namespace;
  if (changes.resource !== undefined) objectRef.resource = changes.resource;
  if (changes.name !== undefined) objectRef.name = changes.name;
  if (changes.subresource !== undefined) objectRef.subresource = changes.subresource;
  return {
    ...kubernetesTemplate,
    auditID: changes.auditID ?? randomUUID(),
    verb: changes.verb ?? 'update',
    stage: changes.stage ?? kubernetesTemplate.stage,
    objectRef,
    user: { ...template.user, ...(changes.username ? { username: changes.username } : {}) },
  };
}

/**
 * kubectl's create, get, patch, delete and get of a ConfigMap as the local cluster's kube-apiserver v1.36.3
 * posted them (a fresh copy each call).
 */
export function capturedKubernetesEvents(): Array<Record<string, unknown>> {
  return structuredClone(localClusterList.items);
}

/** The EventList body kube-apiserver's webhook backend posts. */
export function kubernetesBatch(events: Array<Record<string, unknown>>): string {
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: events });
}

/** `count` events with fresh audit IDs; returns the body and the IDs. */
export function kubernetesBatchOf(count: number, changes: Omit<EventChanges, 'auditID'> = {}) {
  const ids = Array.from({ length: count }, () => randomUUID());
  return { ids, body: kubernetesBatch(ids.map((auditID) => kubernetesEvent({ ...changes, auditID }))) };
}

/** A ks-apiserver event (Go field names), from the real template. */
export function kubesphereEvent(changes: EventChanges = {}): Record<string, unknown> {
  const objectRef: Record<string, unknown> = { ...(kubesphereTemplate.ObjectRef as Record<string, unknown>) };
  if (changes.namespace !== undefined) objectRef.Namespace = changes.namespace;
  if (changes.resource !== undefined) objectRef.Resource = changes.resource;
  if (changes.name !== undefined) objectRef.Name = changes.name;
  return {
    ...kubesphereTemplate,
    AuditID: changes.auditID ?? randomUUID(),
    Verb: changes.verb ?? kubesphereTemplate.Verb,
    ObjectRef: objectRef,
  };
}

export function kubesphereBatchBody(events: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Items: events });
}

/** KubeSphere 3.4.1's shipped Webhook spec and Rule CRs, with optional changes to the Webhook spec. */
export function shippedConfig(webhookChanges: Record<string, unknown> = {}): ConfigObjects {
  const rules = parseAllDocuments(readFileSync(testdata('kubesphere-rules.yaml'), 'utf8')).map(
    (document) => document.toJS() as RuleCR,
  );
  const webhook = parseAllDocuments(readFileSync(testdata('kubesphere-webhook.yaml'), 'utf8'))[0]!.toJS() as {
    spec: Record<string, unknown>;
  };
  return {
    webhookSpec: { ...webhook.spec, receivers: [], ...webhookChanges },
    ruleCRs: rules.map((rule) => ({ ...rule, metadata: { ...rule.metadata, namespace: 'kubesphere-logging-system' } })),
  };
}

/** The shipped Rule CRs as objects to create in a cluster. */
export function shippedRuleObjects(): Array<Record<string, unknown>> {
  return parseAllDocuments(readFileSync(testdata('kubesphere-rules.yaml'), 'utf8')).map(
    (document) => document.toJS() as Record<string, unknown>,
  );
}
