import { useEffect, useState } from 'react';

type Row = { key: string; value: string };

function rowsOf(labels: Record<string, string> | undefined): Row[] {
  return Object.entries(labels ?? {}).map(([key, value]) => ({ key, value }));
}

function labelsOf(rows: readonly Row[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.key.trim()).map((row) => [row.key.trim(), row.value]));
}

/** Edits a matchLabels map as key/value rows; rows with an empty key are kept while typing but not emitted. */
export function LabelsEditor({
  legend,
  value,
  onChange,
  disabled,
  describedBy,
}: {
  legend: string;
  value: Record<string, string> | undefined;
  onChange: (labels: Record<string, string>) => void;
  disabled?: boolean;
  describedBy?: string;
}) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  // Follow changes from outside (the YAML tab, a reload) when they differ from what the rows say.
  useEffect(() => {
    setRows((current) => (JSON.stringify(labelsOf(current)) === JSON.stringify(value ?? {}) ? current : rowsOf(value)));
  }, [value]);

  const update = (next: Row[]) => {
    setRows(next);
    onChange(labelsOf(next));
  };

  return (
    <fieldset className="labels-editor" aria-describedby={describedBy} disabled={disabled}>
      <legend>{legend}</legend>
      {rows.length === 0 ? <p className="muted">No labels.</p> : null}
      {rows.map((row, index) => (
        // Rows have no identity but their position while the user edits them.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <div className="label-row" key={index}>
          <input
            value={row.key}
            placeholder="key"
            aria-label={`${legend}: key ${index + 1}`}
            onChange={(event) => update(rows.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)))}
          />
          <span aria-hidden="true">=</span>
          <input
            value={row.value}
            placeholder="value"
            aria-label={`${legend}: value ${index + 1}`}
            onChange={(event) => update(rows.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)))}
          />
          <button
            type="button"
            aria-label={`Remove label ${row.key || index + 1} from ${legend}`}
            onClick={() => update(rows.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => update([...rows, { key: '', value: '' }])}>
        Add label
      </button>
    </fieldset>
  );
}
