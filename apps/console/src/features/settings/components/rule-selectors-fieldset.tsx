import { type RuleResource, selectorSelection, type WebhookProblem } from '@auditorium/audit-model';
import { Controller, type UseFormReturn, useWatch } from 'react-hook-form';
import { cleanSpec, type WebhookSpecInput } from '../webhook-draft.ts';
import { FieldProblems } from './field-problems.tsx';
import { LabelsEditor } from './labels-editor.tsx';

type Role = 'archiving' | 'alerting';

/** What the selector picks now, as the receiver would read it; the problems come from the shared checks. */
function SelectionSummary({
  role,
  spec,
  rules,
  problems,
}: {
  role: Role;
  spec: unknown;
  rules: readonly RuleResource[] | undefined;
  problems: readonly WebhookProblem[];
}) {
  const id = `${role}-selector-check`;
  if (!rules) {
    return (
      <div id={id} className="selector-check">
        <p className="muted">The Rule CRs could not be read, so what this selector picks is unknown.</p>
      </div>
    );
  }
  const selection = selectorSelection(role, spec, rules);
  const labels = Object.entries(selection.effectiveLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return (
    <div className="selector-check" id={id} aria-live="polite">
      {selection.usesDefault ? <p className="muted">Empty: the receiver uses its default, {labels}.</p> : null}
      {selection.matchedRules.length > 0 ? (
        <p className="muted">
          Selects {selection.matchedRules.join(', ')}: {selection.passingItems} of {selection.ruleItems} enabled rule
          {selection.ruleItems === 1 ? '' : 's'} reach the {role} priority ({selection.threshold}).
        </p>
      ) : null}
      <FieldProblems problems={problems} field={`spec.auditSinkPolicy.${role}RuleSelector`} />
    </div>
  );
}

/** Which Rule CRs archive and which alert: label selectors on the CRs' labels. */
export function RuleSelectorsFieldset({
  form,
  rules,
  problems,
}: {
  form: UseFormReturn<WebhookSpecInput>;
  rules: readonly RuleResource[] | undefined;
  problems: readonly WebhookProblem[];
}) {
  const spec = (cleanSpec(useWatch({ control: form.control })) ?? {}) as WebhookSpecInput;
  const expressions =
    (spec.auditSinkPolicy?.archivingRuleSelector?.matchExpressions?.length ?? 0) +
    (spec.auditSinkPolicy?.alertingRuleSelector?.matchExpressions?.length ?? 0);
  return (
    <fieldset className="rule-selectors">
      <legend>Rule selectors</legend>
      <p className="muted">
        A Rule CR's labels decide what its rules do. Rules of CRs matching the archiving selector are archived; rules of
        CRs matching the alerting selector are always archived and also alert when their priority is high enough.
      </p>
      {(['archiving', 'alerting'] as const).map((role) => (
        <div key={role} className="selector">
          <Controller
            control={form.control}
            name={`auditSinkPolicy.${role}RuleSelector.matchLabels`}
            render={({ field }) => (
              <LabelsEditor
                legend={
                  role === 'archiving'
                    ? 'Archiving rule selector (matchLabels)'
                    : 'Alerting rule selector (matchLabels)'
                }
                value={field.value}
                onChange={(labels) => field.onChange(Object.keys(labels).length ? labels : undefined)}
                describedBy={`${role}-selector-check`}
              />
            )}
          />
          <SelectionSummary role={role} spec={spec} rules={rules} problems={problems} />
        </div>
      ))}
      {expressions > 0 ? (
        <p className="warning-text">
          matchExpressions are kept but the receiver, like KubeSphere's, selects by matchLabels only.
        </p>
      ) : null}
    </fieldset>
  );
}
