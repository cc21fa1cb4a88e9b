import type { ErrorComponentProps } from '@tanstack/react-router';
import { StatusMessage } from '../lib/status-message.tsx';

/** What a page shows when its loading failed: the server's Status, and a way to try again. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <section aria-labelledby="page-title" className="route-error">
      <h1 id="page-title">This page could not load</h1>
      <StatusMessage error={error} />
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
