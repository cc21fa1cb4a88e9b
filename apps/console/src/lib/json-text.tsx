/**
 * Audit content is data from whoever sent the request, so it is always shown as text: React escapes it, and
 * nothing here uses innerHTML. Objects archived as JSON strings (KubeSphere's archive shape) are parsed and
 * pretty-printed too.
 */
export function prettyJson(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

export function JsonText({ value, label, empty = 'Not recorded' }: { value: unknown; label: string; empty?: string }) {
  const text = prettyJson(value);
  if (!text) return <p className="muted">{empty}</p>;
  return (
    // A named region; browsers make the scrolling <pre> keyboard-focusable by themselves.
    <section aria-label={label} className="json-text-region">
      <pre className="json-text">{text}</pre>
    </section>
  );
}
