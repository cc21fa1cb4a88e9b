import type { AuditEvent } from '@auditorium/audit-model';
import type { ArchivedRecord } from './event-store.ts';

/**
 * Events for tests and the benchmark, shaped like the Metadata-level kubelet event in
 * audit-model/testdata/k8s-eventlist-metadata.json after normalisation. Not a fixture of real traffic:
 * each test states the fields it filters on.
 */
export interface SampleEventFields {
  auditId?: string;
  stage?: AuditEvent['Stage'];
  level?: AuditEvent['Level'];
  verb?: string;
  /** RFC 3339, or Unix milliseconds (written with microsecond digits, as kube-apiserver does). */
  received?: string | number;
  username?: string;
  groups?: string[];
  sourceIps?: string[];
  namespace?: string;
  workspace?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  code?: number;
  status?: string;
  source?: AuditEvent['Source'];
  requestUri?: string;
  message?: string;
}

let sequence = 0;

export function sampleEvent(fields: SampleEventFields = {}): AuditEvent {
  sequence += 1;
  const received =
    typeof fields.received === 'number'
      ? new Date(fields.received).toISOString().replace('Z', '000Z')
      : (fields.received ?? '2021-09-13T10:00:06.655851Z');
  const namespace = fields.namespace ?? 'kube-system';
  const resource = fields.resource ?? 'configmaps';
  const name = fields.name ?? 'kube-root-ca.crt';
  const event: AuditEvent = {
    AuditID: fields.auditId ?? `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    Stage: fields.stage ?? 'ResponseComplete',
    Level: fields.level ?? 'Metadata',
    Verb: fields.verb ?? 'get',
    RequestURI:
      fields.requestUri ??
      (namespace === '' ? `/api/v1/${resource}/${name}` : `/api/v1/namespaces/${namespace}/${resource}/${name}`),
    User: {
      username: fields.username ?? 'system:node:w1-k8s',
      groups: fields.groups ?? ['system:nodes', 'system:authenticated'],
    },
    SourceIPs: fields.sourceIps ?? ['192.168.1.101'],
    UserAgent: 'kubelet/v1.22.0 (linux/amd64) kubernetes/c2b5237',
    ObjectRef: {
      Resource: resource,
      Namespace: namespace,
      Name: name,
      APIVersion: 'v1',
      ...(fields.subresource === undefined ? {} : { Subresource: fields.subresource }),
    },
    ResponseStatus: { metadata: {}, code: fields.code ?? 200, status: fields.status ?? 'Success' },
    RequestReceivedTimestamp: received,
    StageTimestamp: received,
    Annotations: { 'authorization.k8s.io/decision': 'allow' },
    Workspace: fields.workspace ?? '',
    Devops: '',
    Cluster: '',
    Message: fields.message ?? '',
    Source: fields.source ?? 'kubernetes',
  };
  return event;
}

export function sampleRecord(fields: SampleEventFields = {}, matchedRules: string[] = []): ArchivedRecord {
  return { event: sampleEvent(fields), matchedRules, alerted: false };
}
