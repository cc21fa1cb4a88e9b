import { auditLevels, stages } from '@auditorium/audit-model';
import { useId } from 'react';
import { type RangePreset, rangePresets, type SearchSearch } from '../routes/search-search.ts';
import { presetLabels, type TimeRange } from '../search-query.ts';

/** KubeSphere's eight search keys, in its order, with the URL field each one fills. */
const searchKeys = [
  ['workspace', 'Workspace', ''],
  ['namespace', 'Project (namespace)', 'demo'],
  ['resource', 'Resource type', 'configmaps'],
  ['name', 'Resource name', ''],
  ['verb', 'Verb', 'create,delete'],
  ['code', 'Status code', '403,404'],
  ['user', 'Operator', 'admin'],
  ['sourceIp', 'Source IP', '10.0.'],
] as const satisfies ReadonlyArray<readonly [keyof SearchSearch, string, string]>;

const pad = (value: number) => String(value).padStart(2, '0');

/** `<input type="datetime-local">` speaks local `YYYY-MM-DDTHH:mm:ss`. */
function toLocalInput(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}:${pad(date.getSeconds())}`;
}

function read(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * The search form. Uncontrolled inputs start from the URL and the form is re-keyed when the URL changes:
 * submitting writes the URL, and the URL drives the queries. Choosing "Custom" uses the two times below.
 */
export function SearchForm({
  search,
  range,
  onSearch,
}: {
  search: SearchSearch;
  range: TimeRange;
  onSearch: (next: SearchSearch) => void;
}) {
  const id = useId();
  return (
    <form
      key={JSON.stringify(search)}
      className="filter-form"
      aria-label="Search the archive"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const next: Record<string, unknown> = {};
        for (const [name] of searchKeys) next[name] = read(form, name);
        next.mode = read(form, 'mode') === 'fuzzy' ? 'fuzzy' : undefined;
        next.level = read(form, 'level');
        next.stage = read(form, 'stage');
        const preset = read(form, 'range');
        if (preset === 'custom') {
          const start = Date.parse(read(form, 'start') ?? '');
          const end = Date.parse(read(form, 'end') ?? '');
          next.start = Number.isNaN(start) ? range.start : start;
          next.end = Number.isNaN(end) ? undefined : end;
        } else {
          next.range = preset as RangePreset | undefined;
        }
        onSearch(next as SearchSearch);
      }}
    >
      <div className="filter-fields">
        {searchKeys.map(([name, label, placeholder]) => (
          <label key={name} htmlFor={`${id}-${name}`}>
            <span>{label}</span>
            <input
              id={`${id}-${name}`}
              name={name}
              defaultValue={search[name] ?? ''}
              placeholder={placeholder ? `e.g. ${placeholder}` : undefined}
              autoComplete="off"
            />
          </label>
        ))}
        <label htmlFor={`${id}-mode`}>
          <span>Query mode</span>
          <select id={`${id}-mode`} name="mode" defaultValue={search.mode ?? 'exact'}>
            <option value="exact">Exact</option>
            <option value="fuzzy">Fuzzy (contains, ignoring case)</option>
          </select>
        </label>
        <label htmlFor={`${id}-level`}>
          <span>Level</span>
          <select id={`${id}-level`} name="level" defaultValue={search.level ?? ''}>
            <option value="">Any</option>
            {auditLevels.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-stage`}>
          <span>Stage</span>
          <select id={`${id}-stage`} name="stage" defaultValue={search.stage ?? ''}>
            <option value="">Any</option>
            {stages.map((stage) => (
              <option key={stage} value={stage}>
                {stage}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="time-range">
        <legend>Time range</legend>
        <label htmlFor={`${id}-range`}>
          <span>Range</span>
          <select id={`${id}-range`} name="range" defaultValue={range.preset ?? 'custom'}>
            {rangePresets.map((preset) => (
              <option key={preset} value={preset}>
                {presetLabels[preset]}
              </option>
            ))}
            <option value="custom">Custom (from/to below)</option>
          </select>
        </label>
        <label htmlFor={`${id}-start`}>
          <span>From</span>
          <input
            id={`${id}-start`}
            name="start"
            type="datetime-local"
            step={1}
            defaultValue={toLocalInput(range.start)}
          />
        </label>
        <label htmlFor={`${id}-end`}>
          <span>To</span>
          <input id={`${id}-end`} name="end" type="datetime-local" step={1} defaultValue={toLocalInput(range.end)} />
        </label>
      </fieldset>
      <div className="filter-actions">
        <button type="submit" className="primary">
          Search
        </button>
        <button type="button" onClick={() => onSearch({})}>
          Clear
        </button>
        <span className="muted">
          Several values of one key: separate them with commas. Exact mode matches whole values; fuzzy finds them
          inside.
        </span>
      </div>
    </form>
  );
}
