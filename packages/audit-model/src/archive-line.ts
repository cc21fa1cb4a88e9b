import type { AuditEvent } from './event.ts';

/**
 * The one-JSON-line-per-event archive shape KubeSphere's webhook prints to stdout for fluent-bit
 * (reference §5.4): User and SourceIPs flattened to strings, request/response objects as JSON strings,
 * UserAgent, ImpersonatedUser and Annotations dropped, and a 16 KiB guard because fluent-bit splits
 * longer lines. Kept so existing fluent-bit → Elasticsearch pipelines and ks-apiserver's query API work.
 */
export const fluentBitLineLimit = 16_384;

export interface ArchivedEvent {
  AuditID: string;
  Cluster: string;
  Devops: string;
  Level: string;
  Message: string;
  ObjectRef: Record<string, string>;
  RequestObject: string;
  RequestReceivedTimestamp: string;
  RequestURI: string;
  ResponseObject: string;
  ResponseStatus: Record<string, unknown>;
  SourceIPs: string;
  Stage: string;
  StageTimestamp: string;
  User: { Username: string; UID: string; Groups: string };
  Verb: string;
  Workspace: string;
}

const asJsonString = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

export function toArchivedEvent(event: AuditEvent): ArchivedEvent {
  const ref = event.ObjectRef ?? {};
  return {
    AuditID: event.AuditID,
    Cluster: event.Cluster,
    Devops: event.Devops,
    Level: event.Level,
    Message: event.Message,
    ObjectRef: {
      APIGroup: ref.APIGroup ?? '',
      APIVersion: ref.APIVersion ?? '',
      Name: ref.Name ?? '',
      Namespace: ref.Namespace ?? '',
      Resource: ref.Resource ?? '',
      ResourceVersion: ref.ResourceVersion ?? '',
      Subresource: ref.Subresource ?? '',
      UID: ref.UID ?? '',
    },
    RequestObject: asJsonString(event.RequestObject),
    RequestReceivedTimestamp: event.RequestReceivedTimestamp,
    RequestURI: event.RequestURI,
    ResponseObject: asJsonString(event.ResponseObject),
    ResponseStatus: { metadata: {}, ...(event.ResponseStatus ?? {}) },
    SourceIPs: event.SourceIPs.join(','),
    Stage: event.Stage,
    StageTimestamp: event.StageTimestamp,
    User: {
      Username: event.User.username ?? '',
      UID: event.User.uid ?? '',
      Groups: (event.User.groups ?? []).join(','),
    },
    Verb: event.Verb,
    Workspace: event.Workspace,
  };
}

/** The stdout line, with KubeSphere's size guard applied. */
export function archiveLine(event: AuditEvent): string {
  const archived = toArchivedEvent(event);
  if (archived.RequestObject.length > fluentBitLineLimit) archived.RequestObject = '';
  if (archived.ResponseObject.length > fluentBitLineLimit) archived.ResponseObject = '';
  let line = JSON.stringify(archived);
  if (line.length > fluentBitLineLimit) {
    archived.RequestObject = '';
    line = JSON.stringify(archived);
  }
  if (line.length > fluentBitLineLimit) {
    archived.ResponseObject = '';
    line = JSON.stringify(archived);
  }
  return line;
}
