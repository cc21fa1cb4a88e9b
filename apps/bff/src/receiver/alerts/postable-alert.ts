import type { AuditEvent } from '@auditorium/audit-model';

/**
 * The alert KubeSphere's webhook posts for a matching alerting rule (reference §5.5): exactly these labels
 * and one `message` annotation, no startsAt/endsAt (Alertmanager fills them in), no generatorURL.
 * notification-manager routes on `alerttype: auditing`, and existing Alertmanager routes and silences
 * match on the rest, so the label set and its value formats are part of the wire contract.
 */
export interface PostableAlert {
  labels: {
    alertname: string;
    alerttype: 'auditing';
    namespace: string;
    resource: string;
    name: string;
    user: string;
    /** The user's groups as a JSON array, e.g. `["system:authenticated"]` (Go's json.Marshal; `null` when absent). */
    group: string;
    verb: string;
    /** Go's `time.Time.String()` of RequestReceivedTimestamp: `2024-05-01 08:00:00.123456 +0000 UTC`. */
    requestReceivedTimestamp: string;
  };
  annotations: { message: string };
}

export function auditingAlert(event: AuditEvent, ruleName: string, message: string): PostableAlert {
  const ref = event.ObjectRef ?? {};
  return {
    labels: {
      alertname: ruleName,
      alerttype: 'auditing',
      namespace: ref.Namespace ?? '',
      resource: ref.Resource ?? '',
      name: ref.Name ?? '',
      user: event.User.username ?? '',
      group: JSON.stringify(event.User.groups ?? null),
      verb: event.Verb,
      requestReceivedTimestamp: goTimeString(event.RequestReceivedTimestamp),
    },
    annotations: { message },
  };
}

const rfc3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Go's `time.Time.String()` (layout `2006-01-02 15:04:05.999999999 -0700 MST`) of an RFC 3339 timestamp,
 * in UTC: metav1.MicroTime decodes into the process's local zone, which is UTC in KubeSphere's image.
 * The fraction keeps every sent digit (a JS Date would keep only milliseconds) minus trailing zeros, and
 * disappears when it is zero, as Go's `.999999999` does.
 */
export function goTimeString(timestamp: string): string {
  const match = rfc3339.exec(timestamp);
  if (!match) return timestamp;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  let utcDate = date!;
  let utcTime = time!;
  if (zone.toUpperCase() !== 'Z') {
    const utc = new Date(`${date}T${time}${zone}`).toISOString();
    utcDate = utc.slice(0, 10);
    utcTime = utc.slice(11, 19);
  }
  const digits = fraction.slice(0, 9).replace(/0+$/, '');
  return `${utcDate} ${utcTime}${digits ? `.${digits}` : ''} +0000 UTC`;
}
