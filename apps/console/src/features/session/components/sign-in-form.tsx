import { useId } from 'react';
import { FieldCauses, StatusMessage } from '../../../lib/status-message.tsx';

/**
 * The token form. The input is uncontrolled and the form is reset after submitting, so the token lives in
 * the DOM only while the user types it: never in React state, storage or the URL.
 */
export function SignInForm({
  onSubmit,
  pending,
  error,
}: {
  onSubmit: (token: string) => void;
  pending: boolean;
  error: unknown;
}) {
  const inputId = useId();
  const helpId = useId();
  const errorId = useId();
  return (
    <form
      className="sign-in-form"
      aria-label="Sign in with a token"
      onSubmit={(event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const token = new FormData(form).get('token');
        form.reset();
        if (typeof token === 'string' && token.trim()) onSubmit(token.trim());
      }}
    >
      <label htmlFor={inputId}>Bearer token</label>
      <input
        id={inputId}
        name="token"
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        aria-describedby={`${helpId} ${errorId}`}
        aria-invalid={error ? true : undefined}
      />
      <p id={helpId} className="muted">
        A Kubernetes bearer token: a service account token (<code>kubectl create token NAME -n NAMESPACE</code>), an
        OIDC ID token, or a static token. The server checks it with the cluster, keeps it, and gives this browser only
        an HttpOnly session cookie. Everything you do here runs with its permissions.
      </p>
      <FieldCauses error={error} field="token" id={errorId} />
      {error ? <StatusMessage error={error} fieldsShownElsewhere={['token']} /> : null}
      <button type="submit" className="primary" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
