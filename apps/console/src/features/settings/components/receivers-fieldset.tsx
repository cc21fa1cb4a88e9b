import { receiverTypes, type WebhookProblem } from '@auditorium/audit-model';
import { type FieldErrors, type UseFormReturn, useFieldArray, useWatch } from 'react-hook-form';
import type { WebhookSpecInput } from '../webhook-draft.ts';
import { FieldError } from './field-error.tsx';
import { FieldProblems } from './field-problems.tsx';

const typeMeaning: Record<(typeof receiverTypes)[number], string> = {
  alertmanager: 'Alertmanager v2 API: alerts are posted to /api/v2/alerts (plain HTTP, port 9093 unless given).',
  webhook: 'Any HTTPS endpoint: alerts are posted as JSON; caBundle verifies its certificate.',
};

const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);
const portValue = (value: unknown) =>
  value === '' || value === null || value === undefined ? undefined : Number(value);

type ReceiverErrors = FieldErrors<WebhookSpecInput>['receivers'];

function ReceiverRow({
  form,
  index,
  errors,
  problems,
  onRemove,
}: {
  form: UseFormReturn<WebhookSpecInput>;
  index: number;
  errors: ReceiverErrors;
  problems: readonly WebhookProblem[];
  onRemove: () => void;
}) {
  const { register, setValue, control } = form;
  const receiver = useWatch({ control, name: `receivers.${index}` });
  const usesService = receiver?.config?.service != null;
  // A hand edit (YAML, kubectl) can leave both; the form shows one, so it offers to drop the other.
  const hasBoth = usesService && receiver?.config?.url != null;
  const error = Array.isArray(errors) ? errors[index] : undefined;
  const id = (field: string) => `receiver-${index}-${field}`;
  const title = receiver?.name ? `Receiver ${receiver.name}` : `Receiver ${index + 1}`;

  return (
    <fieldset className="receiver" aria-label={title}>
      <legend>{title}</legend>
      <div className="field-grid">
        <label>
          Name
          <input {...register(`receivers.${index}.name`)} aria-describedby={id('name-error')} />
          <FieldError id={id('name-error')} error={error?.name} />
        </label>
        <label>
          Type
          <select
            {...register(`receivers.${index}.type`)}
            aria-describedby={`${id('type-meaning')} ${id('type-error')}`}
          >
            {receiverTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
          <span id={id('type-meaning')} className="muted field-help">
            {receiver?.type && receiver.type in typeMeaning
              ? typeMeaning[receiver.type as keyof typeof typeMeaning]
              : ''}
          </span>
          <FieldError id={id('type-error')} error={error?.type} />
        </label>
      </div>
      <fieldset className="destination">
        <legend>Destination</legend>
        <label>
          <input
            type="radio"
            name={id('destination')}
            checked={usesService}
            onChange={() => {
              setValue(`receivers.${index}.config.url`, undefined, { shouldDirty: true });
              setValue(
                `receivers.${index}.config.service`,
                { namespace: 'kubesphere-monitoring-system', name: 'alertmanager-main', port: 9093 },
                { shouldDirty: true },
              );
            }}
          />{' '}
          A Service in the cluster
        </label>
        <label>
          <input
            type="radio"
            name={id('destination')}
            checked={!usesService}
            onChange={() => {
              setValue(`receivers.${index}.config.service`, undefined, { shouldDirty: true });
              setValue(`receivers.${index}.config.url`, '', { shouldDirty: true });
            }}
          />{' '}
          A URL
        </label>
        {usesService ? (
          <div className="field-grid">
            <label>
              Namespace
              <input {...register(`receivers.${index}.config.service.namespace`)} aria-describedby={id('ns-error')} />
              <FieldError id={id('ns-error')} error={error?.config?.service?.namespace} />
            </label>
            <label>
              Service name
              <input {...register(`receivers.${index}.config.service.name`)} aria-describedby={id('svc-error')} />
              <FieldError id={id('svc-error')} error={error?.config?.service?.name} />
            </label>
            <label>
              Port
              <input
                type="number"
                min={1}
                max={65535}
                placeholder={receiver?.type === 'alertmanager' ? '9093' : '443'}
                {...register(`receivers.${index}.config.service.port`, { setValueAs: portValue })}
                aria-describedby={id('port-error')}
              />
              <FieldError id={id('port-error')} error={error?.config?.service?.port} />
            </label>
            <label>
              Path
              <input
                {...register(`receivers.${index}.config.service.path`, { setValueAs: emptyToUndefined })}
                placeholder="/"
              />
            </label>
          </div>
        ) : (
          <label>
            URL
            <input
              type="url"
              placeholder={
                receiver?.type === 'alertmanager' ? 'http://alertmanager.example:9093' : 'https://hooks.example/audit'
              }
              {...register(`receivers.${index}.config.url`, { setValueAs: emptyToUndefined })}
              aria-describedby={id('url-error')}
            />
            <FieldError id={id('url-error')} error={error?.config?.url} />
          </label>
        )}
      </fieldset>
      {receiver?.type === 'webhook' || receiver?.config?.caBundle ? (
        <label>
          CA bundle (base64-encoded PEM) to verify the endpoint's certificate
          <textarea
            rows={3}
            spellCheck={false}
            {...register(`receivers.${index}.config.caBundle`, { setValueAs: emptyToUndefined })}
            aria-describedby={id('ca-error')}
          />
          <FieldError id={id('ca-error')} error={error?.config?.caBundle} />
        </label>
      ) : null}
      <FieldError id={id('config-error')} error={error?.config?.root ?? error?.config} />
      <FieldProblems id={id('problems')} problems={problems} field={`spec.receivers[${index}]`} />
      {hasBoth ? (
        <div className="button-row">
          <button
            type="button"
            onClick={() => setValue(`receivers.${index}.config.url`, undefined, { shouldDirty: true })}
          >
            Keep the Service, drop the URL
          </button>
          <button
            type="button"
            onClick={() => setValue(`receivers.${index}.config.service`, undefined, { shouldDirty: true })}
          >
            Keep the URL ({receiver?.config?.url}), drop the Service
          </button>
        </div>
      ) : null}
      <button type="button" onClick={onRemove}>
        Remove {title.toLowerCase()}
      </button>
    </fieldset>
  );
}

/** Where alerts go: any number of Alertmanagers and webhooks. */
export function ReceiversFieldset({
  form,
  problems,
}: {
  form: UseFormReturn<WebhookSpecInput>;
  problems: readonly WebhookProblem[];
}) {
  const { fields, append, remove } = useFieldArray({ control: form.control, name: 'receivers' });
  const errors = form.formState.errors.receivers;
  return (
    <fieldset className="receivers">
      <legend>Alert receivers</legend>
      <p className="muted">
        Every alert of a rule whose priority reaches the alerting threshold goes to every receiver here.
      </p>
      {fields.length === 0 ? <p>No receivers: alerts are evaluated but sent nowhere.</p> : null}
      {fields.map((field, index) => (
        <ReceiverRow
          key={field.id}
          form={form}
          index={index}
          errors={errors}
          problems={problems}
          onRemove={() => remove(index)}
        />
      ))}
      <div className="button-row">
        <button
          type="button"
          onClick={() =>
            append({
              name: `alertmanager-${fields.length + 1}`,
              type: 'alertmanager',
              config: { service: { namespace: 'kubesphere-monitoring-system', name: 'alertmanager-main', port: 9093 } },
            })
          }
        >
          Add an Alertmanager
        </button>
        <button
          type="button"
          onClick={() => append({ name: `webhook-${fields.length + 1}`, type: 'webhook', config: { url: 'https://' } })}
        >
          Add a webhook
        </button>
      </div>
      {errors && !Array.isArray(errors) ? <FieldError id="receivers-error" error={errors} /> : null}
    </fieldset>
  );
}
