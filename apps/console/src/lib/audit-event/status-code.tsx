import { httpStatusText, statusClass } from './http-status-text.ts';

/** A response code with its reason phrase as the tooltip, coloured by class (2xx, 4xx, 5xx). */
export function StatusCode({ code }: { code: number | undefined }) {
  if (code === undefined) return <span className="muted">–</span>;
  return (
    <span className="status-code" data-class={statusClass(code)} title={httpStatusText(code) || undefined}>
      {code}
    </span>
  );
}
