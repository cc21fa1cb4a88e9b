import { Priority, priorities, RuleItem } from '@auditorium/audit-model';
import { zodResolver } from '@hookform/resolvers/zod';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { FieldCauses, StatusMessage } from '../../../lib/status-message.tsx';
import type { RuleView } from '../api/list-rules.ts';

/**
 * The playground's condition saved as a new `type: rule` item of a Rule CR, as a form. The fields are
 * audit-model's RuleItem (the same schema the YAML editor's overlay comes from), plus which Rule CR gets it.
 */
const priorityMeaning: Record<(typeof priorities)[number], string> = {
  DEBUG: 'archived when the archiving priority is DEBUG',
  INFO: 'archived at archiving priority DEBUG or INFO',
  WARNING: 'archived, and alerts when the Rule is selected for alerting',
};

export const newItemSchema = RuleItem.pick({ name: true, desc: true, output: true }).extend({
  target: z.string().min(1, 'choose the Rule CR to add the item to'),
  name: z
    .string()
    .min(1, 'name is required')
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "-", "_" and "." only, starting with a letter or digit'),
  priority: Priority,
  enable: z.boolean(),
});

export type NewItemValues = z.infer<typeof newItemSchema>;

const refOf = (rule: RuleView) => `${rule.namespace ?? ''}/${rule.name}`;

export function AddRuleItemForm({
  rules,
  condition,
  canSubmit,
  disabledReason,
  pending,
  error,
  saved,
  onSubmit,
}: {
  /** The Rule CRs the item may go to (namespaced ones). */
  rules: RuleView[];
  condition: string;
  /** False while the condition is empty or does not parse. */
  canSubmit: boolean;
  disabledReason: string | undefined;
  pending: boolean;
  error: unknown;
  /** What the last save did, said once it succeeded. */
  saved: string | undefined;
  onSubmit: (values: NewItemValues) => void;
}) {
  const id = useId();
  const form = useForm<NewItemValues>({
    resolver: zodResolver(newItemSchema),
    defaultValues: { target: '', name: '', priority: 'INFO', enable: true, desc: '', output: '' },
  });
  const { errors } = form.formState;
  const fieldError = (field: keyof NewItemValues) =>
    errors[field]?.message ? (
      <span id={`${id}-${field}-error`} className="field-causes" role="alert">
        {errors[field]?.message}
      </span>
    ) : (
      <FieldCauses error={error} field={field} id={`${id}-${field}-error`} />
    );
  const describedBy = (field: keyof NewItemValues) =>
    errors[field] || (error && field === 'name') ? `${id}-${field}-error` : undefined;

  return (
    <details className="add-rule-item">
      <summary>Save this condition as a rule item…</summary>
      <form
        noValidate
        onSubmit={form.handleSubmit(onSubmit)}
        aria-describedby={disabledReason ? `${id}-disabled` : undefined}
      >
        {disabledReason ? (
          <p id={`${id}-disabled`} className="disabled-reason">
            {disabledReason}
          </p>
        ) : null}
        <p className="muted">
          Condition: <code>{condition || '(type one above)'}</code>
        </p>
        <div className="form-grid">
          <label htmlFor={`${id}-target`}>
            Rule CR
            <select id={`${id}-target`} {...form.register('target')} aria-describedby={describedBy('target')}>
              <option value="">Choose…</option>
              {rules
                .filter((rule) => rule.namespace)
                .map((rule) => (
                  <option key={refOf(rule)} value={refOf(rule)}>
                    {refOf(rule)} (
                    {Object.entries(rule.labels)
                      .map(([key, value]) => `${key}=${value}`)
                      .join(', ') || 'no labels'}
                    )
                  </option>
                ))}
            </select>
            {fieldError('target')}
          </label>
          <label>
            Item name
            <input {...form.register('name')} autoComplete="off" aria-describedby={describedBy('name')} />
            {fieldError('name')}
          </label>
          <fieldset>
            <legend>Priority</legend>
            {priorities.map((priority) => (
              <label key={priority} className="radio-field">
                <input type="radio" value={priority} {...form.register('priority')} /> {priority}{' '}
                <span className="muted">— {priorityMeaning[priority]}</span>
              </label>
            ))}
          </fieldset>
          <label className="checkbox-field">
            <input type="checkbox" {...form.register('enable')} /> Enabled (KubeSphere reads a missing{' '}
            <code>enable</code> as disabled)
          </label>
          <label>
            Description (optional)
            <input {...form.register('desc')} autoComplete="off" />
          </label>
          <label>
            Alert message (optional, with{' '}
            {/* biome-ignore lint/suspicious/noTemplateCurlyInString: KubeSphere's placeholder syntax, shown as text */}
            <code>{'${Field.Path}'}</code> placeholders)
            <input {...form.register('output')} autoComplete="off" />
          </label>
        </div>
        {error ? <StatusMessage error={error} fieldsShownElsewhere={['name', 'target']} /> : null}
        {saved ? (
          <p role="status" className="ok-text">
            {saved}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={!canSubmit || pending || disabledReason !== undefined}>
          {pending ? 'Saving…' : 'Add the item to the Rule'}
        </button>
      </form>
    </details>
  );
}
