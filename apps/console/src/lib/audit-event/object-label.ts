import type { AuditEvent } from '@auditorium/audit-model';

/** `deployments/scale` or `rules.auditing.kubesphere.io`: the resource column of event tables. */
export function resourceLabel(event: Pick<AuditEvent, 'ObjectRef'>): string {
  const ref = event.ObjectRef;
  if (!ref?.Resource) return '';
  const resource = ref.APIGroup ? `${ref.Resource}.${ref.APIGroup}` : ref.Resource;
  return ref.Subresource ? `${resource}/${ref.Subresource}` : resource;
}
