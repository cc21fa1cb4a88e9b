import { YamlDiffEditor } from './lazy-editors.tsx';
import './editor-shared.css';

export interface DryRunReviewProps {
  /** What is being saved, for the heading and text: `the Webhook kube-auditing-webhook`. */
  what: string;
  liveYaml: string;
  dryRunYaml: string;
  changed: boolean;
  saving: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * What the apiserver would store (its dry-run answer, after defaulting, pruning and admission) beside what it
 * stores now: the user saves knowing the result, not only their own text.
 */
export function DryRunReview({ what, liveYaml, dryRunYaml, changed, saving, onConfirm, onCancel }: DryRunReviewProps) {
  return (
    <section className="dry-run-review" aria-labelledby="dry-run-title" data-testid="dry-run-review">
      <h2 id="dry-run-title">Review: what the cluster would store</h2>
      <p className="muted">
        The server ran your change as a dry run (validation, defaulting, pruning of unknown fields, admission) and
        stored nothing yet. Left: {what} now. Right: {what} after saving.
      </p>
      {!changed ? <p className="warning-text">The cluster would store no change.</p> : null}
      <YamlDiffEditor
        modelKey="dry-run"
        original={liveYaml}
        modified={dryRunYaml}
        originalLabel="Stored now"
        modifiedLabel="After saving (dry run)"
        height="45vh"
      />
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} disabled={saving}>
          Back to editing
        </button>
        <button type="button" className="primary" onClick={onConfirm} disabled={saving}>
          {saving ? 'Saving…' : 'Save to the cluster'}
        </button>
      </div>
    </section>
  );
}
