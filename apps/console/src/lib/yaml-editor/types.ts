/** Shapes shared by the lazily loaded editors and the pages that use them (type-only, so no Monaco here). */

/** A JSON Schema document as monaco-yaml takes it. */
export type JsonSchema = { [keyword: string]: unknown };

export type MarkerSeverity = 'error' | 'warning' | 'info';

/** A problem Monaco found in the text: a YAML syntax error or a schema violation. */
export interface YamlMarker {
  severity: MarkerSeverity;
  message: string;
  line: number;
  column: number;
}

export interface YamlEditorProps {
  /**
   * The model's URI, `file:///auditorium/<something unique>.yaml`. It names the model (and so its undo history)
   * and selects the schema, so two editors open on the same object share one.
   */
  modelPath: string;
  value: string;
  onChange?: (value: string) => void;
  schema?: JsonSchema | undefined;
  readOnly?: boolean;
  /** The accessible name of the editor. */
  label: string;
  onMarkersChange?: (markers: YamlMarker[]) => void;
  /** Problems found elsewhere (the server's Status causes), shown as markers beside the schema's own. */
  extraMarkers?: YamlMarker[] | undefined;
  /** CSS height of the editor; 60vh unless told. */
  height?: string;
}

export interface YamlDiffEditorProps {
  /** Left side: the older text. */
  original: string;
  /** Right side: the newer text. */
  modified: string;
  originalLabel: string;
  modifiedLabel: string;
  /** Lets the user edit the right side; each edit is reported. */
  onModifiedChange?: (value: string) => void;
  /** Unique per diff on the page, used for the two models' URIs. */
  modelKey: string;
  height?: string;
}
