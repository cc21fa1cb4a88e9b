import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A side drawer on the native modal `<dialog>`: the browser traps focus, makes the page behind it inert and
 * turns Escape into `cancel`. Whoever renders it owns the open state (usually a URL search param), so the
 * drawer never closes itself: Escape, the close button and a click on the backdrop all ask `onClose`.
 * Focus goes back to the element that opened it.
 */
export function Drawer({ title, onClose, children }: { title: ReactNode; onClose: () => void; children: ReactNode }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    // Escape is the keyboard's way out (the dialog's cancel event); the click handler only catches the backdrop.
    // biome-ignore lint/a11y/useKeyWithClickEvents: see above
    <dialog
      ref={dialogRef}
      className="drawer"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the dialog element itself (not its content) is a click on the backdrop.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="drawer-panel">
        <header className="drawer-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" onClick={onClose} aria-label="Close details">
            Close
          </button>
        </header>
        <div className="drawer-body">{children}</div>
      </div>
    </dialog>
  );
}
