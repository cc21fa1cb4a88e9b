import { isMap, isSeq, parseDocument, stringify } from 'yaml';
import type { Json } from './three-way-merge.ts';
import type { YamlMarker } from './types.ts';

/** A Kubernetes object as JSON. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; managedFields?: unknown[] } & Record<
    string,
    unknown
  >;
} & Record<string, unknown>;

// lineWidth 0: long strings such as rule conditions stay on one line instead of being folded.
const stringifyOptions = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/**
 * The object as YAML. `metadata.managedFields` is left out unless asked for: it is the server's bookkeeping,
 * and an update without it keeps the stored one (the apiserver only replaces managedFields that are sent).
 */
/** The object without the fields that change with every write and say nothing about the user's edit. */
export function comparableObject(object: KubeObject): Json {
  const {
    managedFields: _managed,
    resourceVersion: _version,
    generation: _generation,
    ...metadata
  } = object.metadata ?? {};
  return JSON.parse(JSON.stringify({ ...object, metadata })) as Json;
}

export function resourceToYaml(resource: KubeObject, { showManagedFields = false } = {}): string {
  if (showManagedFields || !resource.metadata?.managedFields) return stringify(resource, stringifyOptions);
  const { managedFields: _hidden, ...metadata } = resource.metadata;
  return stringify({ ...resource, metadata }, stringifyOptions);
}

/** Shows or hides `metadata.managedFields` in text the user may have edited, keeping their edits and comments. */
export function setManagedFieldsShown(text: string, show: boolean, managedFields: unknown[] | undefined): string {
  const document = parseDocument(text);
  if (document.errors.length) return text;
  if (show) {
    if (!managedFields || document.hasIn(['metadata', 'managedFields'])) return text;
    if (!isMap(document.get('metadata', true))) return text;
    document.setIn(['metadata', 'managedFields'], document.createNode(managedFields));
  } else {
    if (!document.hasIn(['metadata', 'managedFields'])) return text;
    document.deleteIn(['metadata', 'managedFields']);
  }
  return document.toString(stringifyOptions);
}

export type ParsedResource = { ok: true; resource: KubeObject } | { ok: false; message: string };

/** The editor's text as an object, or why it is not one. */
export function parseResourceYaml(text: string): ParsedResource {
  const document = parseDocument(text);
  const error = document.errors[0];
  if (error) {
    const line = error.linePos?.[0];
    return { ok: false, message: line ? `line ${line.line}: ${error.message}` : error.message };
  }
  const value = document.toJS();
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: 'the YAML must be one object (a mapping), not a list or a scalar' };
  }
  return { ok: true, resource: value as KubeObject };
}

/** `spec.receivers[0].config.url` or `metadata.labels[app]` as path segments. */
export function fieldPathSegments(fieldPath: string): Array<string | number> {
  const segments: Array<string | number> = [];
  for (const match of fieldPath.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(/^\d+$/.test(match[2]) ? Number(match[2]) : match[2]);
  }
  return segments;
}

/**
 * Where a Kubernetes field path (a Status cause's `field`) sits in the text: the deepest node of the path that
 * exists, so a cause about a missing field points at its parent.
 */
export function locateField(text: string, fieldPath: string): { line: number; column: number } | undefined {
  const document = parseDocument(text, { keepSourceTokens: false });
  if (document.errors.length) return undefined;
  let node: unknown = document.contents;
  let found: { range?: [number, number, number] | null } | undefined;
  for (const segment of fieldPathSegments(fieldPath)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String((item.key as { value?: unknown })?.value ?? item.key) === segment);
      if (!pair) break;
      found = (pair.key as typeof found) ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) break;
      found = item as typeof found;
      node = item;
    } else break;
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Status causes as editor markers, each at its field (or the first line when the field is not in the text). */
export function causesToMarkers(
  text: string,
  causes: ReadonlyArray<{ field?: string; message: string }>,
): YamlMarker[] {
  return causes.map((cause) => {
    const position = cause.field ? locateField(text, cause.field) : undefined;
    return {
      severity: 'error',
      message: cause.field
        ? `${cause.field}: ${cause.message} (from the server)`
        : `${cause.message} (from the server)`,
      line: position?.line ?? 1,
      column: position?.column ?? 1,
    };
  });
}
