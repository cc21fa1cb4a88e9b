import type { UseFormRegisterReturn } from 'react-hook-form';

export interface Choice {
  value: string;
  label: string;
  meaning: string;
}

/** A radio group whose every option says what it means. */
export function ChoiceGroup({
  legend,
  help,
  choices,
  registration,
  current,
  errorId,
}: {
  legend: string;
  help?: string;
  choices: readonly Choice[];
  registration: UseFormRegisterReturn;
  current: string | undefined;
  errorId?: string;
}) {
  const name = registration.name.replace(/\W/g, '-');
  return (
    <fieldset
      className="choice-group"
      aria-describedby={[help ? `${name}-help` : '', errorId ?? ''].join(' ').trim() || undefined}
    >
      <legend>{legend}</legend>
      {help ? (
        <p id={`${name}-help`} className="muted choice-help">
          {help}
        </p>
      ) : null}
      <div className="choices">
        {choices.map((choice) => (
          <label key={choice.value} className="choice" data-checked={current === choice.value}>
            {/* Named by its value alone; the meaning is its description, read after the name. */}
            <input
              type="radio"
              value={choice.value}
              {...registration}
              aria-labelledby={`${name}-${choice.value}-label`}
              aria-describedby={`${name}-${choice.value}`}
            />
            <span id={`${name}-${choice.value}-label`} className="choice-label">
              {choice.label}
            </span>
            <span id={`${name}-${choice.value}`} className="choice-meaning">
              {choice.meaning}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
