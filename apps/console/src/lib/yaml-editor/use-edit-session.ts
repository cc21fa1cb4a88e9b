import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { KubeObject } from './resource-yaml.ts';

/** What a save function answers: the stored (or dry-run) object, or the object as it is now on a 409. */
export type SaveOutcome = { outcome: 'stored'; object: KubeObject } | { outcome: 'conflict'; live: KubeObject };

export type SaveFn = (object: KubeObject, options: { dryRun: boolean }) => Promise<SaveOutcome>;

export type EditPhase =
  | { kind: 'editing' }
  | { kind: 'reviewing'; candidate: KubeObject; dryRun: KubeObject }
  | { kind: 'merging'; base: KubeObject; yours: KubeObject; theirs: KubeObject };

export interface Notice {
  tone: 'ok' | 'warning';
  text: string;
}

/**
 * The save flow every editor of a Kubernetes object shares: dry run → review the server's result → save on
 * the loaded resourceVersion; a 409 at either step opens the three-way merge (base = what the user started
 * from, yours = their draft, theirs = the object now), and saving the merge on the newer version again.
 * The editor keeps its own draft; `onStored` tells it to start over from what the cluster holds.
 */
export function useEditSession({
  loaded,
  save,
  onStored,
}: {
  loaded: KubeObject;
  save: SaveFn;
  onStored: (object: KubeObject, notice?: Notice) => void;
}) {
  const [base, setBase] = useState<KubeObject>(loaded);
  const [phase, setPhase] = useState<EditPhase>({ kind: 'editing' });
  const [error, setError] = useState<unknown>();
  const mutation = useMutation({
    mutationFn: ({ object, dryRun }: { object: KubeObject; dryRun: boolean }) => save(object, { dryRun }),
  });

  const adopt = (object: KubeObject, notice?: Notice) => {
    setBase(object);
    setPhase({ kind: 'editing' });
    setError(undefined);
    onStored(object, notice);
  };

  /** The draft as an update of the version the user loaded. */
  const asUpdate = (draft: KubeObject): KubeObject => ({
    ...draft,
    metadata: { ...draft.metadata, resourceVersion: base.metadata?.resourceVersion },
  });

  const merge = (yours: KubeObject, theirs: KubeObject, from: KubeObject = base) =>
    setPhase({ kind: 'merging', base: from, yours, theirs });

  /** Step 1: ask for a dry run; success opens the review. */
  const review = (draft: KubeObject) => {
    setError(undefined);
    const candidate = asUpdate(draft);
    mutation.mutate(
      { object: candidate, dryRun: true },
      {
        onSuccess: (result) =>
          result.outcome === 'conflict'
            ? merge(candidate, result.live)
            : setPhase({ kind: 'reviewing', candidate, dryRun: result.object }),
        onError: setError,
      },
    );
  };

  /** Stores `candidate` (already carrying the version to update); a 409 merges again. */
  const store = (candidate: KubeObject, mergeBase: KubeObject) =>
    mutation.mutate(
      { object: candidate, dryRun: false },
      {
        onSuccess: (result) => {
          if (result.outcome === 'conflict') return merge(candidate, result.live, mergeBase);
          adopt(result.object, {
            tone: 'ok',
            text: `Saved. The cluster now holds resourceVersion ${result.object.metadata?.resourceVersion}.`,
          });
        },
        onError: (failure) => {
          setPhase({ kind: 'editing' });
          setError(failure);
        },
      },
    );

  /** Step 2 after review: store what was dry-run. */
  const confirm = () => {
    if (phase.kind === 'reviewing') store(phase.candidate, base);
  };

  /** Saves without a review (used where the user asked for it). */
  const saveNow = (draft: KubeObject) => {
    setError(undefined);
    store(asUpdate(draft), base);
  };

  /** From the merge view: save the merged object (which carries their resourceVersion). */
  const saveMerged = (merged: KubeObject) => {
    if (phase.kind === 'merging') store(merged, phase.theirs);
  };

  const discardForTheirs = () => {
    if (phase.kind === 'merging')
      adopt(phase.theirs, { tone: 'ok', text: 'Your changes were dropped; this is the object as stored now.' });
  };

  return {
    base,
    phase,
    error,
    pending: mutation.isPending,
    adopt,
    review,
    confirm,
    saveNow,
    merge,
    saveMerged,
    discardForTheirs,
    backToEditing: () => setPhase({ kind: 'editing' }),
    setError,
  };
}
