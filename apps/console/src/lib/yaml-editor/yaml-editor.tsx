import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import { monaco, setModelSchema } from './monaco-setup.ts';
import type { MarkerSeverity, YamlEditorProps, YamlMarker } from './types.ts';
import { useMonacoTheme } from './use-document-theme.ts';
import './yaml-editor.css';

type CodeEditor = Parameters<OnMount>[0];

function severityOf(severity: number): MarkerSeverity {
  if (severity >= monaco.MarkerSeverity.Error) return 'error';
  if (severity >= monaco.MarkerSeverity.Warning) return 'warning';
  return 'info';
}

function severityCode(severity: MarkerSeverity) {
  if (severity === 'error') return monaco.MarkerSeverity.Error;
  if (severity === 'warning') return monaco.MarkerSeverity.Warning;
  return monaco.MarkerSeverity.Info;
}

const serverMarkerOwner = 'auditorium-server';

/**
 * monaco-yaml reports schema violations as warnings. Here each one is an error: the apiserver would reject
 * the value or silently drop the field, so the text must not be saved as it is. Returns whether it changed any.
 */
function raiseSchemaWarnings(modelUri: string): boolean {
  const resource = monaco.Uri.parse(modelUri);
  const model = monaco.editor.getModel(resource);
  if (!model) return false;
  const markers = monaco.editor.getModelMarkers({ resource, owner: 'yaml' });
  if (!markers.some((marker) => marker.severity === monaco.MarkerSeverity.Warning)) return false;
  monaco.editor.setModelMarkers(
    model,
    'yaml',
    markers.map((marker) =>
      marker.severity === monaco.MarkerSeverity.Warning ? { ...marker, severity: monaco.MarkerSeverity.Error } : marker,
    ),
  );
  return true;
}

function markersOf(modelUri: string): YamlMarker[] {
  return monaco.editor
    .getModelMarkers({ resource: monaco.Uri.parse(modelUri) })
    .map((marker) => ({
      severity: severityOf(marker.severity),
      message: marker.message,
      line: marker.startLineNumber,
      column: marker.startColumn,
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Monaco with monaco-yaml: validation markers, completion and hover documentation from `schema`. The problems
 * are also listed as text under the editor, where a screen reader or a keyboard user reaches them; choosing one
 * moves the cursor there. Loaded with React.lazy (see lazy-editors.tsx).
 */
export default function YamlEditor({
  modelPath,
  value,
  onChange,
  schema,
  readOnly = false,
  label,
  onMarkersChange,
  extraMarkers,
  height = '60vh',
}: YamlEditorProps) {
  const theme = useMonacoTheme();
  const editorRef = useRef<CodeEditor | null>(null);
  const [markers, setMarkers] = useState<YamlMarker[]>([]);
  const reportMarkers = useRef(onMarkersChange);
  reportMarkers.current = onMarkersChange;

  useEffect(() => {
    setModelSchema(modelPath, schema);
    return () => setModelSchema(modelPath, undefined);
  }, [modelPath, schema]);

  useEffect(() => {
    const publish = () => {
      const current = markersOf(modelPath);
      setMarkers(current);
      reportMarkers.current?.(current);
    };
    publish();
    const subscription = monaco.editor.onDidChangeMarkers((uris) => {
      if (!uris.some((uri) => uri.toString() === monaco.Uri.parse(modelPath).toString())) return;
      // Setting the raised markers fires this listener again, and that run publishes them.
      if (!raiseSchemaWarnings(modelPath)) publish();
    });
    return () => subscription.dispose();
  }, [modelPath]);

  const applyExtraMarkers = useRef<() => void>(() => {});
  applyExtraMarkers.current = () => {
    const model = monaco.editor.getModel(monaco.Uri.parse(modelPath));
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      serverMarkerOwner,
      (extraMarkers ?? []).map((marker) => ({
        severity: severityCode(marker.severity),
        message: marker.message,
        startLineNumber: marker.line,
        startColumn: marker.column,
        endLineNumber: marker.line,
        endColumn: model.getLineMaxColumn(Math.min(marker.line, model.getLineCount())),
      })),
    );
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the ref reads them; these say when to re-apply
  useEffect(() => applyExtraMarkers.current(), [extraMarkers, modelPath]);

  // The editor owns its text while the user types. A controlled `value` would be pushed back into it on
  // every render, and a render that lags a keystroke behind (typing fast, a slow machine) would put back the
  // text without that keystroke and move the cursor. So `value` only reaches the editor when it is not one
  // of our own onChange texts coming back: those are queued, and an echo drops it and everything older.
  const pendingEchoes = useRef<string[]>([]);
  const latestValue = useRef(value);
  latestValue.current = value;
  const applyingOutsideText = useRef(false);
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const echo = pendingEchoes.current.indexOf(value);
    if (echo >= 0) {
      pendingEchoes.current.splice(0, echo + 1);
      return;
    }
    pendingEchoes.current = [];
    const model = editor.getModel();
    if (!model || model.getValue() === value) return;
    // An edit operation (not setValue) keeps it undoable; it applies to read-only editors too.
    applyingOutsideText.current = true;
    try {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
    } finally {
      applyingOutsideText.current = false;
    }
  }, [value]);

  const reveal = (marker: YamlMarker) => {
    const editor = editorRef.current;
    if (!editor) return;
    editor.setPosition({ lineNumber: marker.line, column: marker.column });
    editor.revealLineInCenter(marker.line);
    editor.focus();
  };

  const errors = markers.filter((marker) => marker.severity === 'error').length;
  return (
    <div className="yaml-editor">
      <p className="yaml-editor-hint muted">
        Ctrl+Space completes, hovering a key shows its documentation. Press Ctrl+M (or Alt+F1 for help), then Tab moves
        focus out of the editor.
      </p>
      <div className="yaml-editor-frame" data-testid="yaml-editor" data-model-path={modelPath}>
        <Editor
          language="yaml"
          path={modelPath}
          defaultValue={value}
          theme={theme}
          height={height}
          onChange={(text) => {
            // The parent already holds the text it gave us.
            if (applyingOutsideText.current) return;
            pendingEchoes.current.push(text ?? '');
            onChange?.(text ?? '');
          }}
          onMount={(editor) => {
            editorRef.current = editor;
            // The text may have changed between the first render and the editor being ready.
            const model = editor.getModel();
            if (model && model.getValue() !== latestValue.current) {
              applyingOutsideText.current = true;
              model.setValue(latestValue.current);
              applyingOutsideText.current = false;
            }
            applyExtraMarkers.current();
          }}
          loading={<p className="muted">Starting the editor…</p>}
          options={{
            readOnly,
            ariaLabel: label,
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            automaticLayout: true,
            tabSize: 2,
            insertSpaces: true,
            fixedOverflowWidgets: true,
            renderValidationDecorations: 'on',
            quickSuggestions: { other: true, comments: false, strings: true },
          }}
        />
      </div>
      <section className="yaml-problems" aria-label="Problems in the YAML">
        <h3 className="yaml-problems-title">
          {markers.length === 0
            ? 'No problems found'
            : `${markers.length} problem${markers.length === 1 ? '' : 's'}${errors ? ` (${errors} error${errors === 1 ? '' : 's'})` : ''}`}
        </h3>
        {markers.length > 0 ? (
          <ul>
            {markers.map((marker) => (
              <li key={`${marker.line}:${marker.column}:${marker.message}`} data-severity={marker.severity}>
                <button type="button" className="link-button" onClick={() => reveal(marker)}>
                  Line {marker.line}, column {marker.column}
                </button>{' '}
                <span className="yaml-problem-severity">{marker.severity}</span>: <span>{marker.message}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
