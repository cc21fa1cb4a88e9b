import type { Status, StatusCause } from '@auditorium/audit-model';
import { toStatus } from './api-error.ts';

/**
 * The one way the console shows an error: the Kubernetes Status message, then every cause. A form that
 * renders some causes beside their fields (with `FieldCauses`) passes those fields in `fieldsShownElsewhere`,
 * so each cause appears exactly once and none is lost.
 */

const headlines: Partial<Record<Status['reason'], string>> = {
  Unauthorized: 'You are signed out',
  Forbidden: 'Not allowed',
  NotFound: 'Not found',
  AlreadyExists: 'Already exists',
  Conflict: 'Changed by someone else',
  Invalid: 'Invalid',
  BadRequest: 'Bad request',
  TooManyRequests: 'Too many requests',
  ServiceUnavailable: 'Unavailable',
  Timeout: 'Timed out',
};

function headline(status: Status): string {
  const text = headlines[status.reason] ?? 'Request failed';
  return status.code > 0 ? `${text} (${status.code})` : text;
}

/** Causes whose field is `field` or lies inside it (`spec.receivers` holds `spec.receivers[0].config.url`). */
export function causesFor(error: unknown, field: string): StatusCause[] {
  const causes = toStatus(error).details?.causes ?? [];
  return causes.filter(
    (cause) => cause.field === field || cause.field?.startsWith(`${field}.`) || cause.field?.startsWith(`${field}[`),
  );
}

export function StatusMessage({
  error,
  fieldsShownElsewhere = [],
  className,
}: {
  error: unknown;
  fieldsShownElsewhere?: readonly string[];
  className?: string;
}) {
  const status = toStatus(error);
  const causes = (status.details?.causes ?? []).filter(
    (cause) => !cause.field || !fieldsShownElsewhere.includes(cause.field),
  );
  return (
    <div role="alert" className={['status-message', className].filter(Boolean).join(' ')} data-reason={status.reason}>
      <p className="status-headline">{headline(status)}</p>
      <p className="status-text">{status.message}</p>
      {causes.length > 0 ? (
        <ul className="status-causes" aria-label="Causes">
          {causes.map((cause, index) => (
            // Causes have no identity of their own; the server's order is stable for one response.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={index}>
              {cause.field ? <code>{cause.field}</code> : null}
              {cause.field ? ': ' : null}
              {cause.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The causes of one field, for rendering beside it; link it with `aria-describedby={id}`. */
export function FieldCauses({ error, field, id }: { error: unknown; field: string; id?: string }) {
  if (!error) return null;
  const causes = causesFor(error, field);
  if (causes.length === 0) return null;
  return (
    <span id={id} className="field-causes" role="alert">
      {causes.map((cause) => cause.message).join('; ')}
    </span>
  );
}
