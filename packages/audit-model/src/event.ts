import type { AuditLevel, EventSource, Stage } from './enums.ts';

/**
 * The one event model every part of Auditorium sees after intake. Field names follow KubeSphere's wire
 * shape (Go field names for the event, lower-case JSON tags inside User and ResponseStatus, reference
 * §5.2), because that is the shape KubeSphere rules are written against (`ObjectRef.Resource`,
 * `User.username`). kube-apiserver's lower-camel `audit.k8s.io/v1` events are mapped onto it.
 */
export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface ObjectReference {
  Resource?: string;
  Namespace?: string;
  Name?: string;
  UID?: string;
  APIGroup?: string;
  APIVersion?: string;
  ResourceVersion?: string;
  Subresource?: string;
}

export interface ResponseStatus {
  metadata?: Record<string, unknown>;
  code?: number;
  status?: string;
  reason?: string;
  message?: string;
  details?: unknown;
}

export interface AuditEvent {
  AuditID: string;
  Stage: Stage;
  Level: AuditLevel;
  /** Always lower case. */
  Verb: string;
  RequestURI: string;
  User: UserInfo;
  ImpersonatedUser?: UserInfo | null;
  SourceIPs: string[];
  UserAgent?: string;
  ObjectRef?: ObjectReference | null;
  ResponseStatus?: ResponseStatus | null;
  RequestObject?: unknown;
  ResponseObject?: unknown;
  /** RFC 3339 with microseconds, as sent. */
  RequestReceivedTimestamp: string;
  StageTimestamp: string;
  Annotations?: Record<string, string> | null;
  /** KubeSphere's tenancy fields; for Kubernetes events Workspace comes from the namespace's label. */
  Workspace: string;
  Devops: string;
  Cluster: string;
  Message: string;
  /** Which program sent it. Not part of KubeSphere's shape; recorded by the receiver. */
  Source: EventSource;
}
