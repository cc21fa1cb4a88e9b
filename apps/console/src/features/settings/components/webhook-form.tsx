import { auditLevels, type priorities, type RuleResource, type WebhookProblem } from '@auditorium/audit-model';
import { Link } from '@tanstack/react-router';
import { type UseFormReturn, useWatch } from 'react-hook-form';
import type { WebhookSpecInput } from '../webhook-draft.ts';
import { type Choice, ChoiceGroup } from './choice-group.tsx';
import { FieldError } from './field-error.tsx';
import { FieldProblems } from './field-problems.tsx';
import { ReceiversFieldset } from './receivers-fieldset.tsx';
import { RuleSelectorsFieldset } from './rule-selectors-fieldset.tsx';

const levelMeanings: Record<(typeof auditLevels)[number], string> = {
  None: 'ks-apiserver sends nothing: KubeSphere requests are not audited.',
  Metadata: 'Who did what to which object, when, and the result. No request or response bodies.',
  Request: 'Metadata plus the request body (RequestObject). Rules that read RequestObject.* need at least this.',
  RequestResponse: 'Request plus the response body. The most detail and the most volume.',
};

const archivingMeanings: Record<(typeof priorities)[number], string> = {
  DEBUG: 'Archives every match of an archiving rule, whatever its priority (DEBUG ≤ INFO ≤ WARNING).',
  INFO: 'Archives matches of INFO and WARNING rules; DEBUG rules (like the shipped "archiving" rule) archive nothing.',
  WARNING: 'Archives matches of WARNING rules only.',
};

const alertingMeanings: Record<(typeof priorities)[number], string> = {
  DEBUG: 'Every match of an alerting rule also alerts.',
  INFO: 'Matches of INFO and WARNING rules alert.',
  WARNING: 'Only matches of WARNING rules alert (the default). Lower-priority matches are still archived.',
};

const choicesOf = (meanings: Record<string, string>): Choice[] =>
  Object.entries(meanings).map(([value, meaning]) => ({ value, label: value, meaning }));

const replicasValue = (value: unknown) =>
  value === '' || value === null || value === undefined ? undefined : Number(value);

export interface WebhookFormProps {
  form: UseFormReturn<WebhookSpecInput>;
  /** The cluster's Rule CRs, for the selectors' summaries; undefined when they may not be read. */
  rules: readonly RuleResource[] | undefined;
  /** The misconfiguration checks run on the draft; each shows beside its field. */
  problems: readonly WebhookProblem[];
  /** Set when k8sAuditingEnabled is on but kube-apiserver has sent nothing: what that means. */
  silentKubernetesSource?: string | undefined;
  /** Why the user may not change the Webhook, when they may not. */
  readOnlyReason?: string | undefined;
}

/** The Webhook spec as a form, validated with audit-model's schema; each choice explains itself. */
export function WebhookForm({ form, rules, problems, silentKubernetesSource, readOnlyReason }: WebhookFormProps) {
  const { register, formState } = form;
  const errors = formState.errors;
  const [auditLevel, archivingPriority, alertingPriority] = useWatch({
    control: form.control,
    name: ['auditLevel', 'archivingPriority', 'alertingPriority'],
  });
  return (
    <fieldset
      className="webhook-form"
      disabled={readOnlyReason !== undefined}
      aria-describedby={readOnlyReason !== undefined ? 'webhook-readonly' : undefined}
    >
      <legend className="visually-hidden">Webhook kube-auditing-webhook</legend>
      <ChoiceGroup
        legend="Audit level of KubeSphere requests"
        help="What ks-apiserver records of each request to KubeSphere's own APIs. Kubernetes requests that kube-apiserver audits get their level from its policy (Kubernetes setup). Not set means Metadata."
        choices={auditLevels.map((level) => ({ value: level, label: level, meaning: levelMeanings[level] }))}
        registration={register('auditLevel')}
        current={auditLevel}
        errorId="auditLevel-error auditLevel-problems"
      />
      <FieldError id="auditLevel-error" error={errors.auditLevel} />
      <FieldProblems id="auditLevel-problems" problems={problems} field="spec.auditLevel" />

      <ChoiceGroup
        legend="Archiving priority"
        help="A match of an archiving rule is archived when the rule's priority is at least this."
        choices={choicesOf(archivingMeanings)}
        registration={register('archivingPriority')}
        current={archivingPriority}
        errorId="archivingPriority-error archivingPriority-problems"
      />
      <FieldError id="archivingPriority-error" error={errors.archivingPriority} />
      <FieldProblems id="archivingPriority-problems" problems={problems} field="spec.archivingPriority" />

      <ChoiceGroup
        legend="Alerting priority"
        help="A match of an alerting rule alerts when the rule's priority is at least this."
        choices={choicesOf(alertingMeanings)}
        registration={register('alertingPriority')}
        current={alertingPriority}
        errorId="alertingPriority-error alertingPriority-problems"
      />
      <FieldError id="alertingPriority-error" error={errors.alertingPriority} />
      <FieldProblems id="alertingPriority-problems" problems={problems} field="spec.alertingPriority" />

      <div className="checkbox-field">
        <label>
          <input
            type="checkbox"
            {...register('k8sAuditingEnabled')}
            aria-describedby="k8s-auditing-help k8s-auditing-silent"
          />{' '}
          Kubernetes events come from kube-apiserver (k8sAuditingEnabled)
        </label>
        <p id="k8s-auditing-help" className="muted">
          When on, ks-apiserver stops auditing the Kubernetes API requests it proxies (/api, /apis), because
          kube-apiserver's own audit webhook already reports them: this avoids duplicate events. KubeSphere's own
          requests are still audited. Turn it on only once kube-apiserver sends its events (see Kubernetes setup), or
          those requests go unaudited.
        </p>
        <FieldError id="k8sAuditingEnabled-error" error={errors.k8sAuditingEnabled} />
        {silentKubernetesSource ? (
          <div id="k8s-auditing-silent" className="field-problems" data-field="spec.k8sAuditingEnabled" tabIndex={-1}>
            <p data-severity="warning">
              <span className="problem-severity">warning</span> {silentKubernetesSource}{' '}
              <Link to="/setup">Set up Kubernetes auditing</Link>
            </p>
          </div>
        ) : null}
      </div>

      <label className="number-field">
        Replicas
        <input
          type="number"
          min={0}
          {...register('replicas', { setValueAs: replicasValue })}
          aria-describedby="replicas-help replicas-error"
        />
        <span id="replicas-help" className="muted field-help">
          How many receiver pods the auditing operator runs (KubeSphere ships 2).
        </span>
        <FieldError id="replicas-error" error={errors.replicas} />
      </label>

      <ReceiversFieldset form={form} problems={problems} />
      <RuleSelectorsFieldset form={form} rules={rules} problems={problems} />
    </fieldset>
  );
}
