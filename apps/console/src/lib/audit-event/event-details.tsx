import type { AuditEvent } from '@auditorium/audit-model';
import type { ReactNode } from 'react';
import { JsonText } from '../json-text.tsx';
import { formatTimestamp } from '../time-format.ts';
import { httpStatusText } from './http-status-text.ts';
import { kubectlGetCommand } from './kubectl-command.ts';

/** A field of the metadata list; absent values are left out rather than shown as blanks. */
function Field({ label, children }: { label: string; children: ReactNode }) {
  if (children === undefined || children === null || children === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function objectPath(event: AuditEvent): string | undefined {
  const ref = event.ObjectRef;
  if (!ref?.Resource) return undefined;
  const group = ref.APIGroup ? `${ref.APIGroup}/` : '';
  const version = ref.APIVersion ?? '';
  const sub = ref.Subresource ? `/${ref.Subresource}` : '';
  return `${group}${version} ${ref.Resource}${sub}`.trim();
}

/**
 * Everything one audit event says, for the drawer of Live events and Search. All of it is text: an event
 * whose name or body holds HTML shows that HTML literally.
 */
export function EventDetails({
  event,
  objectLink,
  extra,
}: {
  event: AuditEvent;
  /** A link to the object in the console (the CRDs page), when the app knows one. */
  objectLink?: ReactNode;
  /** Extra facts from where the event came from, e.g. which rules archived it. */
  extra?: ReactNode;
}) {
  const code = event.ResponseStatus?.code;
  const command = kubectlGetCommand(event);
  return (
    <div className="event-details">
      <dl className="field-list">
        <Field label="Time">{formatTimestamp(event.RequestReceivedTimestamp)}</Field>
        <Field label="Verb">{event.Verb}</Field>
        <Field label="Status code">{code === undefined ? undefined : `${code} ${httpStatusText(code)}`.trim()}</Field>
        <Field label="User">{event.User?.username}</Field>
        <Field label="Groups">{event.User?.groups?.join(', ')}</Field>
        <Field label="Impersonated user">{event.ImpersonatedUser?.username}</Field>
        <Field label="Source IPs">{event.SourceIPs?.join(', ')}</Field>
        <Field label="Workspace">{event.Workspace}</Field>
        <Field label="Namespace">{event.ObjectRef?.Namespace}</Field>
        <Field label="Resource">{objectPath(event)}</Field>
        <Field label="Name">{event.ObjectRef?.Name}</Field>
        <Field label="Request URI">
          <code>{event.RequestURI}</code>
        </Field>
        <Field label="Level">{event.Level}</Field>
        <Field label="Stage">{event.Stage}</Field>
        <Field label="Source">{event.Source}</Field>
        <Field label="Cluster">{event.Cluster}</Field>
        <Field label="User agent">{event.UserAgent}</Field>
        <Field label="Reason">{event.ResponseStatus?.reason}</Field>
        <Field label="Message">{event.ResponseStatus?.message || event.Message}</Field>
        <Field label="Audit ID">
          <code>{event.AuditID}</code>
        </Field>
      </dl>
      {extra}
      {command || objectLink ? (
        <section>
          <h3>Object</h3>
          {objectLink ? <p>{objectLink}</p> : null}
          {command ? (
            <p>
              <code className="command">{command}</code>{' '}
              <button type="button" onClick={() => void navigator.clipboard?.writeText(command)}>
                Copy command
              </button>
            </p>
          ) : null}
        </section>
      ) : null}
      {event.Annotations && Object.keys(event.Annotations).length > 0 ? (
        <section>
          <h3>Annotations</h3>
          <JsonText value={event.Annotations} label="Annotations" />
        </section>
      ) : null}
      <section>
        <h3>Request object</h3>
        <JsonText
          value={event.RequestObject}
          label="Request object"
          empty={`Not recorded at level ${event.Level} (Request or RequestResponse records it).`}
        />
      </section>
      <section>
        <h3>Response object</h3>
        <JsonText
          value={event.ResponseObject}
          label="Response object"
          empty={`Not recorded at level ${event.Level} (RequestResponse records it).`}
        />
      </section>
      <details>
        <summary>Whole event</summary>
        <JsonText value={event} label="Whole event" />
      </details>
    </div>
  );
}
