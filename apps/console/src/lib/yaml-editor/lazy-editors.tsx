import { lazy, Suspense } from 'react';
import type { YamlDiffEditorProps, YamlEditorProps } from './types.ts';

// Monaco is about a megabyte gzipped: these are the only ways in, so it loads when an editor first shows.
const YamlEditorModule = lazy(() => import('./yaml-editor.tsx'));
const YamlDiffEditorModule = lazy(() => import('./yaml-diff-editor.tsx'));

function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading the {what}…
    </p>
  );
}

/** The schema-aware YAML editor, fetched on first use. */
export function YamlEditor(props: YamlEditorProps) {
  return (
    <Suspense fallback={<Loading what="YAML editor" />}>
      <YamlEditorModule {...props} />
    </Suspense>
  );
}

/** A side-by-side YAML diff, fetched on first use. */
export function YamlDiffEditor(props: YamlDiffEditorProps) {
  return (
    <Suspense fallback={<Loading what="diff view" />}>
      <YamlDiffEditorModule {...props} />
    </Suspense>
  );
}
