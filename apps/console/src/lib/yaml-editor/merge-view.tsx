import { useMemo, useState } from 'react';
import { stringify } from 'yaml';
import { YamlDiffEditor } from './lazy-editors.tsx';
import { type KubeObject, parseResourceYaml, resourceToYaml } from './resource-yaml.ts';
import { type Json, mergeKubeObjects, type Side } from './three-way-merge.ts';
import './editor-shared.css';

type KubeJson = { [key: string]: Json };

export interface MergeViewProps {
  /** What is being edited, for headings: `Webhook kube-auditing-webhook`. */
  title: string;
  /** The object as it was when editing started. */
  base: KubeObject;
  /** The user's draft. */
  yours: KubeObject;
  /** The object as the server holds it now. */
  theirs: KubeObject;
  saving: boolean;
  /** Saves the merged object, which carries the server's current resourceVersion. */
  onSave: (merged: KubeObject) => void;
  /** Drops the user's draft and continues from the server's object. */
  onDiscard: () => void;
}

function asJson(object: KubeObject): KubeJson {
  return JSON.parse(JSON.stringify(object)) as KubeJson;
}

function show(value: Json | undefined): string {
  return value === undefined ? '(absent)' : stringify(value, { lineWidth: 0 }).trimEnd();
}

type Comparison = 'theirs' | 'yours' | 'result';

/**
 * Someone saved the object while the user was editing it (the server answered 409). Instead of overwriting,
 * the two edits are merged field by field from the common base; each field both changed is a conflict with
 * "keep yours" and "take theirs". The result can still be edited by hand, and is saved on the new
 * resourceVersion.
 */
export function MergeView({ title, base, yours, theirs, saving, onSave, onDiscard }: MergeViewProps) {
  const [choices, setChoices] = useState<ReadonlyMap<string, Side>>(new Map());
  const [comparison, setComparison] = useState<Comparison>('result');
  const [handEdited, setHandEdited] = useState<string | null>(null);

  const outcome = useMemo(
    () => mergeKubeObjects(asJson(base), asJson(yours), asJson(theirs), choices),
    [base, yours, theirs, choices],
  );
  const mergedText = useMemo(() => resourceToYaml(outcome.merged as KubeObject), [outcome.merged]);
  const resultText = handEdited ?? mergedText;
  const unresolved = outcome.conflicts.filter((conflict) => !choices.has(conflict.path));
  const parsedResult = parseResourceYaml(resultText);

  const choose = (path: string, side: Side) => {
    setHandEdited(null);
    setChoices((current) => new Map(current).set(path, side));
  };

  const comparisons: Record<
    Comparison,
    { label: string; original: string; modified: string; left: string; right: string }
  > = {
    theirs: {
      label: 'Their changes',
      original: resourceToYaml(base),
      modified: resourceToYaml(theirs),
      left: 'When you started',
      right: 'On the server now',
    },
    yours: {
      label: 'Your changes',
      original: resourceToYaml(base),
      modified: resourceToYaml(yours),
      left: 'When you started',
      right: 'Your draft',
    },
    result: {
      label: 'Merged result (editable)',
      original: resourceToYaml(theirs),
      modified: resultText,
      left: 'On the server now',
      right: 'What will be saved',
    },
  };
  const shown = comparisons[comparison];

  return (
    <section className="merge-view" aria-labelledby="merge-title" data-testid="merge-view">
      <h2 id="merge-title">{title} was changed by someone else while you edited it</h2>
      <p>
        Your save was refused so that their change is not overwritten. {outcome.autoMerged.length} change
        {outcome.autoMerged.length === 1 ? ' was' : 's were'} combined automatically;{' '}
        {outcome.conflicts.length === 0
          ? 'nothing conflicts.'
          : `${outcome.conflicts.length} field${outcome.conflicts.length === 1 ? '' : 's'} changed on both sides: choose which value to keep.`}
      </p>

      {outcome.conflicts.length > 0 ? (
        <div className="merge-conflicts">
          {outcome.conflicts.map((conflict) => {
            const chosen = choices.get(conflict.path);
            const name = `conflict-${conflict.path}`;
            return (
              <fieldset key={conflict.path} className="merge-conflict" data-resolved={chosen !== undefined}>
                <legend>{conflict.path}</legend>
                <div className="merge-sides">
                  <div>
                    <strong>When you started</strong>
                    <pre>{show(conflict.base)}</pre>
                  </div>
                  <div>
                    <label>
                      <input
                        type="radio"
                        name={name}
                        checked={chosen === 'yours'}
                        onChange={() => choose(conflict.path, 'yours')}
                      />{' '}
                      Keep yours
                    </label>
                    <pre>{show(conflict.yours)}</pre>
                  </div>
                  <div>
                    <label>
                      <input
                        type="radio"
                        name={name}
                        checked={chosen === 'theirs'}
                        onChange={() => choose(conflict.path, 'theirs')}
                      />{' '}
                      Take theirs
                    </label>
                    <pre>{show(conflict.theirs)}</pre>
                  </div>
                </div>
              </fieldset>
            );
          })}
        </div>
      ) : null}

      <fieldset className="merge-tabs" aria-label="Compare">
        {(Object.keys(comparisons) as Comparison[]).map((key) => (
          <button key={key} type="button" aria-pressed={comparison === key} onClick={() => setComparison(key)}>
            {comparisons[key].label}
          </button>
        ))}
      </fieldset>
      <YamlDiffEditor
        key={comparison}
        modelKey={`merge-${comparison}`}
        original={shown.original}
        modified={shown.modified}
        originalLabel={shown.left}
        modifiedLabel={shown.right}
        {...(comparison === 'result' ? { onModifiedChange: (text: string) => setHandEdited(text) } : {})}
        height="40vh"
      />
      {!parsedResult.ok ? <p role="alert">The merged YAML does not parse: {parsedResult.message}</p> : null}

      <div className="dialog-actions">
        <button type="button" onClick={onDiscard} disabled={saving}>
          Discard my changes and load theirs
        </button>
        <button
          type="button"
          className="primary"
          disabled={saving || unresolved.length > 0 || !parsedResult.ok}
          onClick={() => parsedResult.ok && onSave(parsedResult.resource)}
        >
          {saving ? 'Saving…' : 'Save the merged result'}
        </button>
      </div>
      {unresolved.length > 0 ? (
        <p className="muted">
          Choose a value for {unresolved.length} conflicting field{unresolved.length === 1 ? '' : 's'} to save.
        </p>
      ) : null}
    </section>
  );
}
