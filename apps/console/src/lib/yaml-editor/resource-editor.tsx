import { useId, useMemo, useState } from 'react';
import { toStatus } from '../api-error.ts';
import { StatusMessage } from '../status-message.tsx';
import { DryRunReview } from './dry-run-review.tsx';
import { YamlEditor } from './lazy-editors.tsx';
import { MergeView } from './merge-view.tsx';
import {
  causesToMarkers,
  comparableObject,
  type KubeObject,
  parseResourceYaml,
  resourceToYaml,
  setManagedFieldsShown,
} from './resource-yaml.ts';
import { deepEqual } from './three-way-merge.ts';
import type { JsonSchema, YamlMarker } from './types.ts';
import { UnsavedChangesGuard } from './unsaved-changes-guard.tsx';
import { type Notice, type SaveFn, useEditSession } from './use-edit-session.ts';
import './editor-shared.css';

export interface RemoteChange {
  type: 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export interface ResourceEditorProps {
  loaded: KubeObject;
  /** `Rule kubesphere-logging-system/archiving-rule`, for headings and messages. */
  title: string;
  modelPath: string;
  schema: JsonSchema | undefined;
  readOnlyReason?: string | undefined;
  save: SaveFn;
  /** The newest version the server announced while the user edits (from the object's watch). */
  remote?: RemoteChange | undefined;
  showManagedFields: boolean;
  onShowManagedFieldsChange: (show: boolean) => void;
  /** Called after a save with what the cluster now holds. */
  onSaved?: (object: KubeObject) => void;
}

/**
 * Any Kubernetes object in the schema-aware YAML editor: schema errors refuse the save, the server's dry-run
 * result is shown as a diff before storing, a 409 opens the three-way merge, and a change announced by the
 * watch is said at once, with the choice to merge it now.
 */
export function ResourceEditor({
  loaded,
  title,
  modelPath,
  schema,
  readOnlyReason,
  save,
  remote,
  showManagedFields,
  onShowManagedFieldsChange,
  onSaved,
}: ResourceEditorProps) {
  const [draftText, setDraftText] = useState(() => resourceToYaml(loaded, { showManagedFields }));
  const [markers, setMarkers] = useState<YamlMarker[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const session = useEditSession({
    loaded,
    save,
    onStored: (object, message) => {
      setDraftText(resourceToYaml(object, { showManagedFields }));
      setNotice(message);
      onSaved?.(object);
    },
  });
  const { base, phase } = session;
  const readOnlyId = useId();

  const parsed = useMemo(() => parseResourceYaml(draftText), [draftText]);
  const dirty = !parsed.ok || !deepEqual(comparableObject(parsed.resource), comparableObject(base));
  const remoteIsNewer =
    remote !== undefined && remote.object.metadata?.resourceVersion !== base.metadata?.resourceVersion;

  const causes = useMemo(() => (session.error ? (toStatus(session.error).details?.causes ?? []) : []), [session.error]);
  const extraMarkers = useMemo(() => causesToMarkers(draftText, causes), [draftText, causes]);
  const errorCount = markers.filter((marker) => marker.severity === 'error').length;

  const review = () => {
    setNotice(undefined);
    if (!parsed.ok) return setNotice({ tone: 'warning', text: `The YAML does not parse: ${parsed.message}` });
    if (errorCount > 0) {
      return setNotice({
        tone: 'warning',
        text: `Not saved: the YAML has ${errorCount} error${errorCount === 1 ? '' : 's'} (listed under the editor). Fix ${errorCount === 1 ? 'it' : 'them'} first.`,
      });
    }
    session.review(parsed.resource);
  };

  return (
    <section className="resource-editor" aria-label={`Edit ${title}`}>
      <UnsavedChangesGuard dirty={dirty} what={title} />
      <p className="muted">resourceVersion {base.metadata?.resourceVersion}</p>
      {readOnlyReason ? (
        <p className="disabled-reason" id={readOnlyId}>
          Read only: {readOnlyReason}
        </p>
      ) : null}
      {remoteIsNewer && phase.kind === 'editing' ? (
        <div className="remote-change" role="alert" data-testid="remote-change">
          {remote.type === 'DELETED' ? (
            <p>{title} was deleted on the server while you were editing it. Saving would fail.</p>
          ) : (
            <>
              <p>
                {title} changed on the server while you edit it (now resourceVersion{' '}
                {remote.object.metadata?.resourceVersion}).{' '}
                {dirty ? 'Merge their change into yours now, or keep editing and merge when you save.' : ''}
              </p>
              <div className="editor-actions">
                {dirty && parsed.ok ? (
                  <button type="button" onClick={() => session.merge(parsed.resource, remote.object)}>
                    Merge their change now
                  </button>
                ) : null}
                <button type="button" onClick={() => session.adopt(remote.object)}>
                  {dirty ? 'Drop my changes and load theirs' : 'Load their version'}
                </button>
              </div>
            </>
          )}
        </div>
      ) : null}
      {notice ? (
        <p role={notice.tone === 'warning' ? 'alert' : 'status'} className={`${notice.tone}-text notice`}>
          {notice.text}
        </p>
      ) : null}
      {session.error ? (
        <StatusMessage
          error={session.error}
          fieldsShownElsewhere={causes.map((cause) => cause.field).filter((field): field is string => !!field)}
        />
      ) : null}

      {phase.kind === 'merging' ? (
        <MergeView
          title={title}
          base={phase.base}
          yours={phase.yours}
          theirs={phase.theirs}
          saving={session.pending}
          onSave={session.saveMerged}
          onDiscard={session.discardForTheirs}
        />
      ) : null}
      {phase.kind === 'reviewing' ? (
        <DryRunReview
          what={title}
          liveYaml={resourceToYaml(base)}
          dryRunYaml={resourceToYaml(phase.dryRun)}
          changed={!deepEqual(comparableObject(base), comparableObject(phase.dryRun))}
          saving={session.pending}
          onCancel={session.backToEditing}
          onConfirm={session.confirm}
        />
      ) : null}

      <div hidden={phase.kind !== 'editing'}>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={showManagedFields}
            onChange={(event) => {
              setDraftText((text) => setManagedFieldsShown(text, event.target.checked, base.metadata?.managedFields));
              onShowManagedFieldsChange(event.target.checked);
            }}
          />{' '}
          Show metadata.managedFields (the server's field ownership; hidden, it is kept as it is)
        </label>
        <YamlEditor
          modelPath={modelPath}
          value={draftText}
          onChange={setDraftText}
          schema={schema}
          readOnly={readOnlyReason !== undefined}
          label={`${title} as YAML`}
          onMarkersChange={setMarkers}
          extraMarkers={extraMarkers}
        />
        <div className="editor-actions">
          <button
            type="button"
            className="primary"
            onClick={review}
            disabled={!dirty || readOnlyReason !== undefined || session.pending}
            aria-describedby={readOnlyReason ? readOnlyId : undefined}
          >
            {session.pending ? 'Asking the cluster…' : 'Review and save'}
          </button>
          <button type="button" onClick={() => session.adopt(base)} disabled={!dirty || session.pending}>
            Discard changes
          </button>
          <span className="muted">{dirty ? 'Unsaved changes' : 'No changes'}</span>
        </div>
      </div>
    </section>
  );
}
