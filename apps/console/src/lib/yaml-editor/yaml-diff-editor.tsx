import { DiffEditor } from '@monaco-editor/react';
import { useRef } from 'react';
import './monaco-setup.ts';
import type { YamlDiffEditorProps } from './types.ts';
import { useMonacoTheme } from './use-document-theme.ts';
import './yaml-editor.css';

/** Two YAML texts side by side with their differences marked; the right side may be editable. */
export default function YamlDiffEditor({
  original,
  modified,
  originalLabel,
  modifiedLabel,
  onModifiedChange,
  modelKey,
  height = '50vh',
}: YamlDiffEditorProps) {
  const theme = useMonacoTheme();
  const editable = onModifiedChange !== undefined;
  // Monaco keeps the listener registered at mount; read the latest callback through a ref.
  const reportChange = useRef(onModifiedChange);
  reportChange.current = onModifiedChange;
  return (
    <div className="yaml-diff" data-testid="yaml-diff">
      <div className="yaml-diff-labels" aria-hidden="true">
        <span>{originalLabel}</span>
        <span>{modifiedLabel}</span>
      </div>
      <DiffEditor
        language="yaml"
        original={original}
        modified={modified}
        originalModelPath={`file:///auditorium/diff/${modelKey}/original.yaml`}
        modifiedModelPath={`file:///auditorium/diff/${modelKey}/modified.yaml`}
        theme={theme}
        height={height}
        loading={<p className="muted">Starting the diff view…</p>}
        onMount={(editor) => {
          const modifiedEditor = editor.getModifiedEditor();
          modifiedEditor.onDidChangeModelContent(() => reportChange.current?.(modifiedEditor.getValue()));
        }}
        options={{
          readOnly: !editable,
          originalEditable: false,
          renderSideBySide: true,
          automaticLayout: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          ariaLabel: `${originalLabel} compared with ${modifiedLabel}`,
          originalAriaLabel: originalLabel,
          modifiedAriaLabel: modifiedLabel,
        }}
      />
    </div>
  );
}
