import type { FieldError as HookFieldError } from 'react-hook-form';

/** A field's problem, beside it; link the field with `aria-describedby={id}`. */
export function FieldError({ id, error }: { id: string; error: HookFieldError | { message?: string } | undefined }) {
  if (!error?.message) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {error.message}
    </span>
  );
}
