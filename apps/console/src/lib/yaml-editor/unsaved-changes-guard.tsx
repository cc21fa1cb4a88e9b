import { useBlocker } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import './editor-shared.css';

/**
 * Asks before unsaved edits are lost: leaving the page inside the console (router blocker, with our own dialog)
 * or closing or reloading the tab (the browser's own beforeunload prompt).
 */
export function UnsavedChangesGuard({ dirty, what }: { dirty: boolean; what: string }) {
  const blocker = useBlocker({
    // Only leaving the page loses the edits: a change of its search (a tab, a filter) keeps the editor mounted.
    shouldBlockFn: ({ current, next }) => dirty && current.pathname !== next.pathname,
    enableBeforeUnload: () => dirty,
    withResolver: true,
  });
  const dialogRef = useRef<HTMLDialogElement>(null);
  const blocked = blocker.status === 'blocked';

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (blocked && !dialog.open) dialog.showModal();
    if (!blocked && dialog.open) dialog.close();
  }, [blocked]);

  return (
    <dialog
      ref={dialogRef}
      className="unsaved-dialog"
      aria-labelledby="unsaved-title"
      onCancel={(event) => {
        event.preventDefault();
        blocker.reset?.();
      }}
    >
      <h2 id="unsaved-title">Leave without saving?</h2>
      <p>You have unsaved changes to {what}. They are lost if you leave this page.</p>
      <div className="dialog-actions">
        {/* First in the dialog, so showModal() focuses it: staying is the safe default. */}
        <button type="button" onClick={() => blocker.reset?.()}>
          Stay and keep editing
        </button>
        <button type="button" onClick={() => blocker.proceed?.()}>
          Leave and discard changes
        </button>
      </div>
    </dialog>
  );
}
