import type { ArchiveScope } from '@auditorium/archive';
import type { AuditEvent } from '@auditorium/audit-model';

/**
 * What one user may see of the audit trail, computed from cluster RBAC the way KubeSphere's query API
 * does (reference §7.2): everything for whoever may `list` core `events` cluster-wide, otherwise the
 * events of each namespace where they may `list events`, from that namespace's creation on (a re-created
 * namespace does not expose its predecessor's events).
 */
export interface ScopedNamespace {
  name: string;
  /** The namespace's creationTimestamp in Unix ms; 0 when it could not be read (see scope-resolver.ts). */
  sinceMs: number;
  /** The namespace's `kubesphere.io/workspace` label, '' without one. */
  workspace: string;
}

export type UserScope = { kind: 'all' } | { kind: 'tenant'; namespaces: ScopedNamespace[] };

/** The archive's form of a scope. Workspace-level and cluster-level events stay with cluster-wide viewers. */
export function toArchiveScope(scope: UserScope): ArchiveScope {
  if (scope.kind === 'all') return scope;
  return {
    kind: 'tenant',
    namespaces: scope.namespaces.map(({ name, sinceMs }) => ({ name, sinceMs })),
    workspaces: [],
    clusterLevel: false,
  };
}

/** The live-stream twin of the archive's scope condition: does this user see this event? */
export function scopeAdmitter(scope: UserScope): (event: AuditEvent) => boolean {
  if (scope.kind === 'all') return () => true;
  const since = new Map(scope.namespaces.map(({ name, sinceMs }) => [name, sinceMs]));
  return (event) => {
    const namespace = event.ObjectRef?.Namespace;
    if (!namespace) return false;
    const sinceMs = since.get(namespace);
    if (sinceMs === undefined) return false;
    // An unreadable timestamp (NaN) is not shown: the archive refuses such events too.
    return Date.parse(event.RequestReceivedTimestamp) >= sinceMs;
  };
}

/** The namespaces a scope names, for the overview and the console's namespace picker. */
export function scopeNamespaceNames(scope: UserScope): string[] | 'all' {
  return scope.kind === 'all' ? 'all' : scope.namespaces.map(({ name }) => name);
}
