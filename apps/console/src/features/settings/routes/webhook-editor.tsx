import {
  auditingApiVersion,
  findWebhookProblems,
  type WebhookProblem,
  type WebhookSpec,
  webhookName,
  webhookSpecSchema,
} from '@auditorium/audit-model';
import { zodResolver } from '@hookform/resolvers/zod';
import { getRouteApi, useRouterState } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { toStatus } from '../../../lib/api-error.ts';
import { silentKubernetesSourceMessage } from '../../../lib/kubernetes-source-check.ts';
import { useCapability } from '../../../lib/me/capability.tsx';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { webhookSpecOverlay } from '../../../lib/yaml-editor/auditing-overlays.ts';
import { DryRunReview } from '../../../lib/yaml-editor/dry-run-review.tsx';
import { YamlEditor } from '../../../lib/yaml-editor/lazy-editors.tsx';
import { MergeView } from '../../../lib/yaml-editor/merge-view.tsx';
import { resourceDocumentSchema } from '../../../lib/yaml-editor/resource-schema.ts';
import {
  causesToMarkers,
  comparableObject,
  type KubeObject,
  parseResourceYaml,
  resourceToYaml,
  setManagedFieldsShown,
} from '../../../lib/yaml-editor/resource-yaml.ts';
import { deepEqual } from '../../../lib/yaml-editor/three-way-merge.ts';
import type { JsonSchema, YamlMarker } from '../../../lib/yaml-editor/types.ts';
import { UnsavedChangesGuard } from '../../../lib/yaml-editor/unsaved-changes-guard.tsx';
import { useReceiverStats } from '../api/get-receiver-stats.ts';
import type { WebhookView } from '../api/get-webhook.ts';
import { useSaveWebhook } from '../api/save-webhook.ts';
import { WebhookForm } from '../components/webhook-form.tsx';
import { WebhookProblems } from '../components/webhook-problems.tsx';
import { formFieldOfCause, setSpecInYaml, type WebhookSpecInput } from '../webhook-draft.ts';

const routeApi = getRouteApi('/shell/settings');

const modelPath = `file:///auditorium/webhooks/${webhookName}.yaml`;

/** Form fields that render their own errors; a server cause on one of them shows there, not in the summary. */
const fieldsWithErrors =
  /^(auditLevel|archivingPriority|alertingPriority|k8sAuditingEnabled|replicas|receivers\.\d+\.(name|type|config(\.(url|caBundle|service\.(namespace|name|port)))?))$/;

type Phase =
  | { kind: 'editing' }
  | { kind: 'reviewing'; candidate: KubeObject; dryRun: KubeObject }
  | { kind: 'merging'; base: KubeObject; yours: KubeObject; theirs: KubeObject };

export interface WebhookEditorProps {
  loaded: WebhookView;
  /** The Webhook CRD's openAPIV3Schema, when it could be read. */
  crdSchema: JsonSchema | undefined;
}

/**
 * The misconfiguration checks on the draft, against the Rule CRs the server sent. Without them (the user
 * may not list Rules) only the receiver checks run, and the server's reason for skipping the rest is kept.
 */
function checkDraft(spec: unknown, loaded: WebhookView): WebhookProblem[] {
  if (loaded.rules) return findWebhookProblems(spec, loaded.rules);
  const skipped = loaded.problems.filter((problem) => problem.code === 'rules-unreadable');
  return [...findWebhookProblems(spec, undefined).filter((problem) => problem.code !== 'rules-unreadable'), ...skipped];
}

/**
 * One editing session of the Webhook: a form and a YAML view of the same draft (each edit in one shows in
 * the other), then a dry run whose result is reviewed as a diff, then the save on the loaded
 * resourceVersion. A save refused with 409 opens the three-way merge instead of overwriting.
 */
export function WebhookEditor({ loaded, crdSchema }: WebhookEditorProps) {
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const canUpdate = useCapability('updateWebhook');
  const readOnlyReason = canUpdate.allowed ? undefined : (canUpdate.reason ?? 'You may not change the Webhook.');

  const [base, setBase] = useState<KubeObject>(loaded.webhook as KubeObject);
  const [draftText, setDraftText] = useState(() =>
    resourceToYaml(loaded.webhook as KubeObject, { showManagedFields: search.managedFields }),
  );
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' });
  const [notice, setNotice] = useState<{ tone: 'ok' | 'warning'; text: string }>();
  const [yamlMarkers, setYamlMarkers] = useState<YamlMarker[]>([]);
  const [serverError, setServerError] = useState<unknown>();
  const save = useSaveWebhook();

  const form = useForm<WebhookSpecInput, unknown, WebhookSpec>({
    resolver: zodResolver(webhookSpecSchema),
    defaultValues: (loaded.webhook.spec ?? {}) as WebhookSpecInput,
    mode: 'onChange',
  });

  // Form → YAML: every form change is written into the draft text, field by field.
  useEffect(() => {
    const subscription = form.watch((values) =>
      setDraftText((text) => setSpecInYaml(text, values as WebhookSpecInput)),
    );
    return () => subscription.unsubscribe();
  }, [form]);

  const parsedDraft = useMemo(() => parseResourceYaml(draftText), [draftText]);
  const dirty = !parsedDraft.ok || !deepEqual(comparableObject(parsedDraft.resource), comparableObject(base));
  // While the YAML does not parse, the last checks of the stored object stay up.
  const draftSpec = parsedDraft.ok ? parsedDraft.resource.spec : base.spec;
  const problems = useMemo(() => checkDraft(draftSpec, loaded), [draftSpec, loaded]);
  const receiverStats = useReceiverStats().data;
  const silentKubernetesSource = silentKubernetesSourceMessage(
    (draftSpec as { k8sAuditingEnabled?: unknown } | undefined)?.k8sAuditingEnabled === true,
    receiverStats ? (receiverStats.receivedBySource.kubernetes ?? 0) : undefined,
    receiverStats?.startedAt,
  );

  const schema = useMemo(
    () =>
      resourceDocumentSchema(crdSchema, {
        apiVersion: auditingApiVersion,
        kind: 'Webhook',
        specOverlay: webhookSpecOverlay(),
      }),
    [crdSchema],
  );

  const adopt = (webhook: KubeObject, message?: { tone: 'ok' | 'warning'; text: string }) => {
    setBase(webhook);
    setDraftText(resourceToYaml(webhook, { showManagedFields: search.managedFields }));
    form.reset((webhook.spec ?? {}) as WebhookSpecInput);
    setPhase({ kind: 'editing' });
    setServerError(undefined);
    setNotice(message);
  };

  // The query refetched and the server holds a newer version: take it if nothing is edited, else say so.
  const loadedVersion = loaded.webhook.metadata.resourceVersion;
  // biome-ignore lint/correctness/useExhaustiveDependencies: react only to a new version from the server
  useEffect(() => {
    if (loadedVersion === base.metadata?.resourceVersion) return;
    if (!dirty && phase.kind === 'editing') adopt(loaded.webhook as KubeObject);
    else
      setNotice({
        tone: 'warning',
        text: 'Someone else changed the Webhook since you opened it. Saving will show both changes to merge.',
      });
  }, [loadedVersion]);

  // A link from the Overview names the field in the hash (#spec.auditLevel): bring its check into view and
  // focus it, so the problem the user followed is the first thing read.
  const hash = useRouterState({ select: (state) => state.location.hash });
  useEffect(() => {
    if (!hash || search.tab !== 'form') return;
    const field = decodeURIComponent(hash);
    const target = [...document.querySelectorAll<HTMLElement>('[data-field]')].find((element) => {
      const at = element.dataset.field ?? '';
      return field === at || field.startsWith(`${at}.`) || field.startsWith(`${at}[`);
    });
    target?.scrollIntoView({ block: 'center' });
    target?.focus({ preventScroll: true });
  }, [hash, search.tab]);

  // YAML → form: entering the form tab reads the draft text back into the form.
  /** Returns whether the tab changed (it does not while the YAML does not parse). */
  const switchTab = (tab: 'form' | 'yaml'): boolean => {
    if (tab === search.tab) return true;
    if (tab === 'form') {
      if (!parsedDraft.ok) {
        setNotice({ tone: 'warning', text: `Fix the YAML before switching to the form: ${parsedDraft.message}` });
        return false;
      }
      form.reset((parsedDraft.resource.spec ?? {}) as WebhookSpecInput, { keepDefaultValues: true });
      void form.trigger();
    }
    setNotice(undefined);
    void navigate({ search: (previous) => ({ ...previous, tab }), replace: true });
    return true;
  };

  const setManagedFields = (show: boolean) => {
    setDraftText((text) => setManagedFieldsShown(text, show, base.metadata?.managedFields));
    void navigate({ search: (previous) => ({ ...previous, managedFields: show }), replace: true });
  };

  const showServerError = (error: unknown) => {
    setServerError(error);
    for (const cause of toStatus(error).details?.causes ?? []) {
      const field = formFieldOfCause(cause.field);
      if (field && fieldsWithErrors.test(field)) {
        form.setError(field as keyof WebhookSpecInput, { type: 'server', message: cause.message });
      }
    }
  };

  const conflict = (yours: KubeObject, theirs: KubeObject, from: KubeObject = base) =>
    setPhase({ kind: 'merging', base: from, yours, theirs });

  const review = async () => {
    setServerError(undefined);
    setNotice(undefined);
    if (search.tab === 'form' && !(await form.trigger())) {
      setNotice({ tone: 'warning', text: 'Some fields are not valid: they are marked below.' });
      return;
    }
    if (search.tab === 'yaml' && yamlMarkers.some((marker) => marker.severity === 'error')) {
      setNotice({ tone: 'warning', text: 'The YAML has errors (listed under the editor): fix them before saving.' });
      return;
    }
    if (!parsedDraft.ok) {
      setNotice({ tone: 'warning', text: `The YAML does not parse: ${parsedDraft.message}` });
      return;
    }
    const candidate: KubeObject = {
      ...parsedDraft.resource,
      metadata: { ...parsedDraft.resource.metadata, resourceVersion: base.metadata?.resourceVersion },
    };
    save.mutate(
      { webhook: candidate, dryRun: true },
      {
        onSuccess: (result) =>
          result.outcome === 'conflict'
            ? conflict(candidate, result.live)
            : setPhase({ kind: 'reviewing', candidate, dryRun: result.stored }),
        onError: showServerError,
      },
    );
  };

  const store = (candidate: KubeObject, onConflict: (live: KubeObject) => void) =>
    save.mutate(
      { webhook: candidate, dryRun: false },
      {
        onSuccess: (result) => {
          if (result.outcome === 'conflict') return onConflict(result.live);
          adopt(result.stored, {
            tone: 'ok',
            text: `Saved. The cluster now holds resourceVersion ${result.stored.metadata?.resourceVersion}.`,
          });
        },
        onError: (error) => {
          setPhase({ kind: 'editing' });
          showServerError(error);
        },
      },
    );

  const serverCauses = useMemo(() => (serverError ? (toStatus(serverError).details?.causes ?? []) : []), [serverError]);
  const extraMarkers = useMemo(() => causesToMarkers(draftText, serverCauses), [draftText, serverCauses]);
  const causesShownBesideFields = serverCauses
    .map((cause) => cause.field)
    .filter(
      (field): field is string =>
        field !== undefined && (search.tab === 'yaml' || fieldsWithErrors.test(formFieldOfCause(field) ?? '')),
    );

  return (
    <section className="webhook-editor" aria-labelledby="webhook-title">
      <UnsavedChangesGuard dirty={dirty} what={`the Webhook ${webhookName}`} />
      <h2 id="webhook-title">
        Webhook <code>{webhookName}</code>
      </h2>
      <p className="muted">
        resourceVersion {base.metadata?.resourceVersion}. The receiver and ks-apiserver read it live: a saved change
        applies without a restart.
      </p>
      {readOnlyReason ? (
        <p className="disabled-reason" id="webhook-readonly">
          Read only: {readOnlyReason}
        </p>
      ) : null}
      <WebhookProblems
        problems={problems}
        extra={
          silentKubernetesSource
            ? [
                {
                  key: 'kubernetes-source-silent',
                  severity: 'warning',
                  field: 'spec.k8sAuditingEnabled',
                  message: silentKubernetesSource,
                },
              ]
            : []
        }
        ofDraft={dirty}
      />
      {notice ? (
        <p role={notice.tone === 'warning' ? 'alert' : 'status'} className={`${notice.tone}-text notice`}>
          {notice.text}
        </p>
      ) : null}
      {serverError ? <StatusMessage error={serverError} fieldsShownElsewhere={causesShownBesideFields} /> : null}

      {phase.kind === 'merging' ? (
        <MergeView
          title={`The Webhook ${webhookName}`}
          base={phase.base}
          yours={phase.yours}
          theirs={phase.theirs}
          saving={save.isPending}
          onSave={(merged) => store(merged, (live) => conflict(merged, live, phase.theirs))}
          onDiscard={() =>
            adopt(phase.theirs, { tone: 'ok', text: 'Your changes were dropped; this is the Webhook as stored now.' })
          }
        />
      ) : null}

      {phase.kind === 'reviewing' ? (
        <DryRunReview
          what={`the Webhook ${webhookName}`}
          liveYaml={resourceToYaml(base)}
          dryRunYaml={resourceToYaml(phase.dryRun)}
          changed={!deepEqual(comparableObject(base), comparableObject(phase.dryRun))}
          saving={save.isPending}
          onCancel={() => setPhase({ kind: 'editing' })}
          onConfirm={() => store(phase.candidate, (live) => conflict(phase.candidate, live))}
        />
      ) : null}

      <div hidden={phase.kind !== 'editing'}>
        <div className="tabs" role="tablist" aria-label="Edit the Webhook as">
          {(['form', 'yaml'] as const).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              id={`webhook-tab-${tab}`}
              aria-selected={search.tab === tab}
              aria-controls={`webhook-panel-${tab}`}
              tabIndex={search.tab === tab ? 0 : -1}
              onClick={() => switchTab(tab)}
              onKeyDown={(event) => {
                if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
                event.preventDefault();
                const other = tab === 'form' ? 'yaml' : 'form';
                // The WAI-ARIA tabs pattern: arrows move focus to the other tab and select it.
                if (switchTab(other)) document.getElementById(`webhook-tab-${other}`)?.focus();
              }}
            >
              {tab === 'form' ? 'Form' : 'YAML'}
            </button>
          ))}
        </div>
        <div
          role="tabpanel"
          id={`webhook-panel-${search.tab}`}
          aria-labelledby={`webhook-tab-${search.tab}`}
          className="tab-panel"
        >
          {search.tab === 'form' ? (
            <WebhookForm
              form={form}
              rules={loaded.rules}
              problems={problems}
              silentKubernetesSource={silentKubernetesSource}
              readOnlyReason={readOnlyReason}
            />
          ) : (
            <>
              <label className="checkbox-field">
                <input
                  type="checkbox"
                  checked={search.managedFields}
                  onChange={(event) => setManagedFields(event.target.checked)}
                />{' '}
                Show metadata.managedFields (the server's field ownership; hidden, it is kept as it is)
              </label>
              <YamlEditor
                modelPath={modelPath}
                value={draftText}
                onChange={setDraftText}
                schema={schema}
                readOnly={readOnlyReason !== undefined}
                label="Webhook kube-auditing-webhook as YAML"
                onMarkersChange={setYamlMarkers}
                extraMarkers={extraMarkers}
              />
            </>
          )}
        </div>
        <div className="button-row save-row">
          <button
            type="button"
            className="primary"
            onClick={review}
            disabled={!dirty || readOnlyReason !== undefined || save.isPending}
            aria-describedby={readOnlyReason ? 'webhook-readonly' : undefined}
          >
            {save.isPending ? 'Asking the cluster…' : 'Review and save'}
          </button>
          <button type="button" onClick={() => adopt(base)} disabled={!dirty || save.isPending}>
            Discard changes
          </button>
          {dirty ? <span className="muted">Unsaved changes</span> : <span className="muted">No changes</span>}
        </div>
      </div>
    </section>
  );
}
