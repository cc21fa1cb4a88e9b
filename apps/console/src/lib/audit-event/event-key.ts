import type { AuditEvent } from '@auditorium/audit-model';

/** An event's identity: one request (AuditID) has one event per stage. Also the drawer's URL value. */
export function eventKey(event: Pick<AuditEvent, 'AuditID' | 'Stage'>): string {
  return `${event.AuditID}/${event.Stage}`;
}
