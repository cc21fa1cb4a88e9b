import type { ArchivedRecord } from './event-store.ts';
import { parseTimestampMicros } from './timestamp-micros.ts';

/**
 * The filterable columns of one archived event, whatever the SQL dialect. Values follow KubeSphere's
 * archived shape (reference §5.4) where a filter reads them: groups and source IPs comma-joined (so the
 * fuzzy group and IP searches match the same strings Elasticsearch's wildcard did), absent strings as ''.
 */
export interface EventRow {
  receivedMicros: number;
  auditId: string;
  stage: string;
  level: string;
  verb: string;
  username: string;
  groups: string;
  sourceIps: string;
  namespace: string;
  workspace: string;
  resource: string;
  subresource: string;
  name: string;
  /** `null` when the event carries no response status (RequestReceived stage). */
  responseCode: number | null;
  responseStatus: string;
  source: string;
  requestUri: string;
  message: string;
  /** JSON array of rule names. */
  matchedRules: string;
  alerted: boolean;
  /** The whole event as JSON: what queries return. */
  event: string;
}

export type EventColumn = Exclude<keyof EventRow, 'matchedRules' | 'alerted' | 'event'>;

/** Thrown before anything is queued, so one bad event does not fail the batches it would share a commit with. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/**
 * The receive time in microseconds, after checking what the archive cannot store without: the dedup key
 * and a readable receive time. Throws `InvalidEventError` naming the event. (A missing key would otherwise
 * meet a NOT NULL column, which INSERT OR IGNORE skips silently, and be reported as a duplicate.)
 */
export function receivedMicros(record: ArchivedRecord): number {
  const { AuditID, Stage, RequestReceivedTimestamp } = record.event;
  // Built only for the error: this runs for every archived event.
  const which = () => `event ${JSON.stringify(AuditID)} (${JSON.stringify(Stage)})`;
  if (typeof AuditID !== 'string' || AuditID === '') throw new InvalidEventError(`${which()}: AuditID is required`);
  if (typeof Stage !== 'string' || Stage.length === 0) throw new InvalidEventError(`${which()}: Stage is required`);
  const micros =
    typeof RequestReceivedTimestamp === 'string' ? parseTimestampMicros(RequestReceivedTimestamp) : undefined;
  if (micros === undefined) {
    throw new InvalidEventError(
      `${which()}: RequestReceivedTimestamp ${JSON.stringify(RequestReceivedTimestamp)} is not an RFC 3339 time`,
    );
  }
  return micros;
}

/** Text for a NOT NULL column from a field the model promises but a caller may have left out. */
const text = (value: string | null | undefined): string => value ?? '';

export function toEventRow(record: ArchivedRecord): EventRow {
  const { event } = record;
  const ref = event.ObjectRef ?? {};
  const code = event.ResponseStatus?.code;
  return {
    receivedMicros: receivedMicros(record),
    auditId: event.AuditID,
    stage: event.Stage,
    level: text(event.Level),
    verb: text(event.Verb),
    username: text(event.User?.username),
    groups: (event.User?.groups ?? []).join(','),
    sourceIps: (event.SourceIPs ?? []).join(','),
    namespace: ref.Namespace ?? '',
    workspace: text(event.Workspace),
    resource: ref.Resource ?? '',
    subresource: ref.Subresource ?? '',
    name: ref.Name ?? '',
    responseCode: typeof code === 'number' && Number.isInteger(code) ? code : null,
    responseStatus: event.ResponseStatus?.status ?? '',
    source: text(event.Source),
    requestUri: text(event.RequestURI),
    message: text(event.Message),
    matchedRules: JSON.stringify(record.matchedRules),
    alerted: record.alerted,
    event: JSON.stringify(event),
  };
}
