import type { ArchiveFilter } from '@auditorium/archive';
import type { AuditEvent } from '@auditorium/audit-model';

/**
 * An `ArchiveFilter` applied to one live event, with exactly the archive's semantics
 * (packages/archive/src/archive-conditions.ts): exact lists compare case-sensitively, `*Search` lists and
 * the free text look for a substring ignoring case, resources match a prefix ignoring case, times are
 * inclusive milliseconds. live-filter.test.ts runs the same cases through the SQLite archive and this
 * predicate, so a stream and a search with the same parameters show the same events.
 */
export function liveFilter(filter: ArchiveFilter): (event: AuditEvent) => boolean {
  const checks: Array<(event: AuditEvent) => boolean> = [];
  const exact = <T extends string | number>(
    values: readonly T[] | undefined,
    read: (event: AuditEvent) => T | null,
  ) => {
    if (!values?.length) return;
    const allowed = new Set<unknown>(values);
    checks.push((event) => allowed.has(read(event)));
  };
  const contains = (values: readonly string[] | undefined, ...reads: Array<(event: AuditEvent) => string>) => {
    if (!values?.length) return;
    const needles = values.map((value) => value.toLowerCase());
    checks.push((event) =>
      reads.some((read) => {
        const haystack = read(event).toLowerCase();
        return needles.some((needle) => haystack.includes(needle));
      }),
    );
  };
  const startsWith = (values: readonly string[] | undefined, read: (event: AuditEvent) => string) => {
    if (!values?.length) return;
    const prefixes = values.map((value) => value.toLowerCase());
    checks.push((event) => {
      const value = read(event).toLowerCase();
      return prefixes.some((prefix) => value.startsWith(prefix));
    });
  };

  if (filter.startTime !== undefined || filter.endTime !== undefined) {
    const { startTime = -Infinity, endTime = Infinity } = filter;
    checks.push((event) => {
      const receivedMs = Date.parse(event.RequestReceivedTimestamp);
      return receivedMs >= startTime && receivedMs <= endTime;
    });
  }
  exact(filter.workspaces, (event) => event.Workspace ?? '');
  exact(filter.namespaces, namespace);
  exact(filter.names, name);
  exact(filter.verbs, (event) => event.Verb);
  exact(filter.levels, (event) => event.Level);
  exact(filter.stages, (event) => event.Stage);
  exact(filter.sources, (event) => event.Source);
  exact(filter.users, username);
  exact(filter.responseCodes, (event) => {
    const code = event.ResponseStatus?.code;
    return typeof code === 'number' && Number.isInteger(code) ? code : null;
  });
  exact(filter.responseStatuses, (event) => event.ResponseStatus?.status ?? '');
  contains(filter.workspaceSearch, (event) => event.Workspace ?? '');
  contains(filter.namespaceSearch, namespace);
  contains(filter.nameSearch, name);
  contains(filter.userSearch, username);
  contains(filter.groupSearch, (event) => (event.User.groups ?? []).join(','));
  contains(filter.sourceIpSearch, (event) => event.SourceIPs.join(','));
  startsWith(filter.resources, resource);
  startsWith(filter.subresources, (event) => event.ObjectRef?.Subresource ?? '');
  if (filter.text) {
    contains(
      [filter.text],
      (event) => event.RequestURI,
      username,
      name,
      namespace,
      resource,
      (e) => e.Message ?? '',
    );
  }
  return (event) => checks.every((check) => check(event));
}

const namespace = (event: AuditEvent) => event.ObjectRef?.Namespace ?? '';
const name = (event: AuditEvent) => event.ObjectRef?.Name ?? '';
const resource = (event: AuditEvent) => event.ObjectRef?.Resource ?? '';
const username = (event: AuditEvent) => event.User.username ?? '';
