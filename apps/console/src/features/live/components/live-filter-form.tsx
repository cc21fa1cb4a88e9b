import { auditLevels, eventSources, stages } from '@auditorium/audit-model';
import { useId } from 'react';
import type { LiveFilters } from '../routes/live-search.ts';

const textFields = [
  ['verb', 'Verb', 'create,delete'],
  ['user', 'User', 'admin'],
  ['namespace', 'Namespace', 'demo'],
  ['workspace', 'Workspace', ''],
  ['resource', 'Resource', 'configmaps'],
  ['name', 'Name', ''],
  ['code', 'Status code', '403,404'],
] as const satisfies ReadonlyArray<readonly [keyof LiveFilters, string, string]>;

const selectFields = [
  ['level', 'Level', auditLevels],
  ['stage', 'Stage', stages],
  ['source', 'Source', eventSources],
] as const;

function read(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * The live filters. The inputs are uncontrolled and start from the URL (the form is re-keyed when the URL
 * changes), so there is no second copy of a filter: Apply writes the URL, the URL reconnects the stream.
 */
export function LiveFilterForm({
  filters,
  onApply,
}: {
  filters: LiveFilters;
  onApply: (filters: LiveFilters) => void;
}) {
  const idPrefix = useId();
  return (
    <form
      key={JSON.stringify(filters)}
      className="filter-form"
      aria-label="Live filters"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const next: Record<string, string | undefined> = {};
        for (const [name] of textFields) next[name] = read(form, name);
        for (const [name] of selectFields) next[name] = read(form, name);
        next.q = read(form, 'q');
        onApply(next as LiveFilters);
      }}
    >
      <div className="filter-fields">
        {textFields.map(([name, label, placeholder]) => (
          <label key={name} htmlFor={`${idPrefix}-${name}`}>
            <span>{label}</span>
            <input
              id={`${idPrefix}-${name}`}
              name={name}
              defaultValue={filters[name] ?? ''}
              placeholder={placeholder ? `e.g. ${placeholder}` : undefined}
              autoComplete="off"
            />
          </label>
        ))}
        {selectFields.map(([name, label, options]) => (
          <label key={name} htmlFor={`${idPrefix}-${name}`}>
            <span>{label}</span>
            <select id={`${idPrefix}-${name}`} name={name} defaultValue={filters[name] ?? ''}>
              <option value="">Any</option>
              {options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label htmlFor={`${idPrefix}-q`} className="wide">
          <span>Free text</span>
          <input
            id={`${idPrefix}-q`}
            name="q"
            type="search"
            defaultValue={filters.q ?? ''}
            placeholder="URI, user, name, namespace, resource, message"
            autoComplete="off"
          />
        </label>
      </div>
      <div className="filter-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={() => onApply({})}>
          Clear
        </button>
        <span className="muted">Several values: separate them with commas.</span>
      </div>
    </form>
  );
}
