// One audit event as ks-apiserver sends it (reference §6.3; kubesphere/kubesphere pkg/apiserver/auditing/types.go):
// the internal k8s.io/apiserver audit.Event, which has no JSON tags and so goes out with Go field names, plus
// KubeSphere's Devops/Workspace/Cluster/Message. User and ResponseStatus keep their lower-case JSON tags.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type AuditLevel, auditLevelRank, type ObjectReference, type UserInfo } from '@auditorium/audit-model';
import type { RequestInfo } from './request-info.ts';

export interface KubeSphereEvent {
  Devops: string;
  Workspace: string;
  Cluster: string;
  Message: string;
  Level: AuditLevel;
  AuditID: string;
  Stage: 'ResponseComplete';
  RequestURI: string;
  Verb: string;
  User: UserInfo;
  ImpersonatedUser: null;
  SourceIPs: string[];
  UserAgent: string;
  ObjectRef: Required<ObjectReference>;
  ResponseStatus: { metadata: Record<string, never>; code: number };
  RequestObject?: unknown;
  ResponseObject?: unknown;
  RequestReceivedTimestamp: string;
  StageTimestamp: string;
  Annotations: null;
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(epochMicros: number): string {
  const millis = Math.floor(epochMicros / 1000);
  const micros = String(Math.floor(epochMicros % 1000)).padStart(3, '0');
  return new Date(millis).toISOString().replace(/\.(\d{3})Z$/, `.$1${micros}Z`);
}

/** Wall-clock microseconds, finer than Date.now(). */
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * ks-apiserver's source address: x-client-ip, else X-Real-IP, else the raw X-Forwarded-For, else the peer's
 * address; `::1` becomes 127.0.0.1. (Node also reports IPv4 peers of a dual-stack socket as ::ffff:a.b.c.d.)
 */
export function sourceIp(headers: IncomingHttpHeaders, remoteAddress: string | undefined): string {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const ip = header('x-client-ip') || header('x-real-ip') || header('x-forwarded-for') || remoteAddress || '';
  if (ip === '::1') return '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice('::ffff:'.length) : ip;
}

function parseJson(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    // Not JSON (YAML, protobuf): ks-apiserver's raw extension would not encode either, so it is left out.
    return undefined;
  }
}

export interface EventInput {
  info: RequestInfo;
  level: AuditLevel;
  requestPath: string;
  user: UserInfo;
  sourceIp: string;
  userAgent: string;
  requestBody: Buffer | undefined;
  receivedMicros: number;
}

/** The event as it stands when the request arrives; `completeEvent` adds the response. */
export function startEvent(input: EventInput): KubeSphereEvent {
  const { info, level } = input;
  const requestObject = parseJson(input.requestBody);
  let name = info.name;
  // For a create the name is in the body, not in the path.
  if (info.verb === 'create' && !name && !info.subresource && requestObject && typeof requestObject === 'object') {
    const metadata = (requestObject as { metadata?: { name?: unknown } }).metadata;
    if (typeof metadata?.name === 'string') name = metadata.name;
  }
  const event: KubeSphereEvent = {
    Devops: '',
    Workspace: info.workspace,
    Cluster: info.cluster,
    Message: '',
    Level: level,
    AuditID: randomUUID(),
    Stage: 'ResponseComplete',
    RequestURI: input.requestPath,
    Verb: info.verb,
    User: input.user,
    ImpersonatedUser: null,
    SourceIPs: [input.sourceIp],
    UserAgent: input.userAgent,
    ObjectRef: {
      Resource: info.resource,
      Namespace: info.namespace,
      Name: name,
      UID: '',
      APIGroup: info.apiGroup,
      APIVersion: info.apiVersion,
      // KubeSphere carries the resource scope here (reference §6.3).
      ResourceVersion: info.scope,
      Subresource: info.subresource,
    },
    ResponseStatus: { metadata: {}, code: 0 },
    RequestReceivedTimestamp: microTime(input.receivedMicros),
    StageTimestamp: microTime(input.receivedMicros),
    Annotations: null,
  };
  if (auditLevelRank(level) >= auditLevelRank('Request') && requestObject !== undefined) {
    event.RequestObject = requestObject;
  }
  return event;
}

export function completeEvent(event: KubeSphereEvent, code: number, responseBody: Buffer | undefined): KubeSphereEvent {
  event.ResponseStatus = { metadata: {}, code };
  event.StageTimestamp = microTime(nowMicros());
  if (auditLevelRank(event.Level) >= auditLevelRank('RequestResponse')) {
    const responseObject = parseJson(responseBody);
    if (responseObject !== undefined) event.ResponseObject = responseObject;
  }
  return event;
}
