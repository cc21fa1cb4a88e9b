/**
 * A field reference of the condition language, split once at compile time. A path without brackets is a key
 * of the flattened event (`ObjectRef.Resource`). With brackets, the part up to the first `[` names an array
 * in the flattened event and the rest walks into its elements:
 * `RequestObject.spec.containers[*].ports[0:2].hostPort` is the array `RequestObject.spec.containers`, then
 * in any element the array `ports`, then in each of its first two elements the value `hostPort`.
 */

export type ArrayIndex =
  /** `[*]`: at least one element must match. */
  | { kind: 'any' }
  /** `[n]`: the element at n (none when out of range) must match. */
  | { kind: 'at'; index: number }
  /** `[a:b]`: every element of the slice must match; an omitted bound is the start or end of the array. */
  | { kind: 'slice'; start: number | undefined; end: number | undefined };

export interface PathStep {
  /** Key inside an array element (an object). */
  key: string;
  /** Present when the value under `key` is itself an array to descend into. */
  index?: ArrayIndex;
}

export interface FieldPath {
  /** As written in the condition. */
  text: string;
  /** Flattened-event key of the value (plain path) or of the first array (indexed path). */
  key: string;
  /** Index applied to the array at `key`; absent for a plain path. */
  index?: ArrayIndex;
  /** Steps taken inside each selected element. */
  steps: readonly PathStep[];
  /** KubeSphere only allows `contains` on a path whose last segment is an index. */
  endsWithIndex: boolean;
}

const segmentPattern = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\[([^\]]*)\])?$/;

/** Splits a field reference the lexer has already accepted; returns the index text that is out of range. */
export function parseFieldPath(text: string): FieldPath | { invalidIndex: string } {
  const parts = text.split('.');
  const keySegments: string[] = [];
  let index: ArrayIndex | undefined;
  const steps: PathStep[] = [];
  let endsWithIndex = false;
  for (const part of parts) {
    const match = segmentPattern.exec(part);
    const name = match?.[1] ?? part;
    const indexText = match?.[2];
    const parsedIndex = indexText === undefined ? undefined : parseIndex(indexText);
    if (parsedIndex === null) return { invalidIndex: `[${indexText}]` };
    endsWithIndex = parsedIndex !== undefined;
    if (index === undefined) {
      keySegments.push(name);
      if (parsedIndex !== undefined) index = parsedIndex;
    } else {
      steps.push(parsedIndex === undefined ? { key: name } : { key: name, index: parsedIndex });
    }
  }
  const path: FieldPath = { text, key: keySegments.join('.'), steps, endsWithIndex };
  if (index !== undefined) path.index = index;
  return path;
}

// null: a number too large to be an index (Go's strconv.Atoi fails on it, making the rule unusable).
function parseIndex(text: string): ArrayIndex | null {
  if (text === '*') return { kind: 'any' };
  const colon = text.indexOf(':');
  if (colon === -1) {
    const index = toIndex(text);
    return index === undefined ? null : { kind: 'at', index };
  }
  const startText = text.slice(0, colon);
  const endText = text.slice(colon + 1);
  const start = startText === '' ? undefined : toIndex(startText);
  const end = endText === '' ? undefined : toIndex(endText);
  if ((startText !== '' && start === undefined) || (endText !== '' && end === undefined)) return null;
  return { kind: 'slice', start, end };
}

function toIndex(digits: string): number | undefined {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}
