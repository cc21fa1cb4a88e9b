import { Controller, type UseFormReturn, useWatch } from 'react-hook-form';
import { checkSelector, type RuleSummary } from '../rule-selection.ts';
import type { WebhookSpecInput } from '../webhook-draft.ts';
import { LabelsEditor } from './labels-editor.tsx';

function SelectorCheckText({
  role,
  spec,
  rules,
}: {
  role: 'archiving' | 'alerting';
  spec: unknown;
  rules: readonly RuleSummary[] | undefined;
}) {
  if (!rules) return <p className="muted">Looking up the Rule CRs…</p>;
  const check = checkSelector(role, spec, rules);
  const labels = Object.entries(check.effectiveLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return (
    <div className="selector-check" id={`${role}-selector-check`} aria-live="polite">
      {check.usesDefault ? <p className="muted">Empty: the receiver uses its default, {labels}.</p> : null}
      {check.warning ? (
        <p className="warning-text" role="alert">
          ⚠ {check.warning}
        </p>
      ) : (
        <p className="muted">
          Selects {check.matchedRules.map((rule) => rule.name).join(', ')} ({check.passingItems} of {check.ruleItems}{' '}
          enabled rule{check.ruleItems === 1 ? '' : 's'} pass the {role} priority).
        </p>
      )}
    </div>
  );
}

/** Which Rule CRs archive and which alert: label selectors on the CRs' labels. */
export function RuleSelectorsFieldset({
  form,
  rules,
}: {
  form: UseFormReturn<WebhookSpecInput>;
  rules: readonly RuleSummary[] | undefined;
}) {
  const spec = useWatch({ control: form.control });
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
          <SelectorCheckText role={role} spec={spec} rules={rules} />
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
