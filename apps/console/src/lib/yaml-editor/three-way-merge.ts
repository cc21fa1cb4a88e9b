/**
 * A field-level three-way merge of two edits of one Kubernetes object made from the same base: the user's
 * draft ("yours") and what the server holds now ("theirs"). A field changed on one side only takes that side's
 * value; a field both sides changed differently is a conflict the user decides. Lists of objects that all carry
 * a unique `name` (receivers, rule items) merge item by item, as Kubernetes list-map types do; other lists are
 * one value.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Value = Json | undefined;

export type Side = 'yours' | 'theirs';

export interface MergeConflict {
  /** Readable and unique: `spec.receivers[name=alert].config.url`. */
  path: string;
  base: Value;
  yours: Value;
  theirs: Value;
}

export interface MergeOutcome {
  merged: Value;
  conflicts: MergeConflict[];
  /** Paths where one side's change was taken without asking. */
  autoMerged: Array<{ path: string; from: Side }>;
}

function isObject(value: Value): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

function namedItems(value: Value): Map<string, Json> | undefined {
  if (!Array.isArray(value)) return undefined;
  const byName = new Map<string, Json>();
  for (const item of value) {
    if (!isObject(item) || typeof item.name !== 'string' || byName.has(item.name)) return undefined;
    byName.set(item.name, item);
  }
  return byName;
}

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Merges; where `choices` names a conflict's path, that side is taken and it is still reported as a conflict. */
export function threeWayMerge(
  base: Value,
  yours: Value,
  theirs: Value,
  choices: ReadonlyMap<string, Side> = new Map(),
): MergeOutcome {
  const conflicts: MergeConflict[] = [];
  const autoMerged: MergeOutcome['autoMerged'] = [];

  const merge = (path: string, b: Value, y: Value, t: Value): Value => {
    if (deepEqual(y, t)) return y;
    if (deepEqual(b, y)) {
      autoMerged.push({ path, from: 'theirs' });
      return t;
    }
    if (deepEqual(b, t)) {
      autoMerged.push({ path, from: 'yours' });
      return y;
    }
    if (isObject(y) && isObject(t)) {
      const baseObject = isObject(b) ? b : {};
      const out: { [key: string]: Json } = {};
      const keys = [...new Set([...Object.keys(t), ...Object.keys(y)])];
      for (const key of keys) {
        const value = merge(childPath(path, key), baseObject[key], y[key], t[key]);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
    const yourItems = namedItems(y);
    const theirItems = namedItems(t);
    const baseItems = b === undefined ? new Map<string, Json>() : namedItems(b);
    if (yourItems && theirItems && baseItems) {
      // Their order first, then the items only you added, in your order.
      const names = [...new Set([...theirItems.keys(), ...yourItems.keys()])];
      const out: Json[] = [];
      for (const name of names) {
        const value = merge(`${path}[name=${name}]`, baseItems.get(name), yourItems.get(name), theirItems.get(name));
        if (value !== undefined) out.push(value as Json);
      }
      return out;
    }
    conflicts.push({ path, base: b, yours: y, theirs: t });
    return choices.get(path) === 'yours' ? y : t;
  };

  const merged = merge('', base, yours, theirs);
  return { merged, conflicts, autoMerged };
}

/** Fields the server owns: never merged, always taken from the current object. */
const serverOwnedMetadata = ['resourceVersion', 'managedFields', 'generation', 'uid', 'creationTimestamp'] as const;

type KubeJson = { [key: string]: Json };

function withoutServerFields(object: KubeJson): KubeJson {
  const { status: _status, ...rest } = object;
  const metadata = isObject(rest.metadata) ? { ...rest.metadata } : undefined;
  if (metadata) for (const field of serverOwnedMetadata) delete metadata[field];
  return metadata ? { ...rest, metadata } : rest;
}

/**
 * Merges a user's draft of an object with the server's current object, from the object they started editing.
 * The result carries the current resourceVersion, so saving it is an ordinary optimistic update again, and
 * the server's own fields (uid, generation, managedFields, …, and `status`, which a CRD without a status
 * subresource would otherwise lose on save) as the server holds them now, in the server's order, so a diff
 * against the server's object shows only the merged edits.
 */
export function mergeKubeObjects(
  base: KubeJson,
  yours: KubeJson,
  theirs: KubeJson,
  choices?: ReadonlyMap<string, Side>,
): MergeOutcome & { merged: KubeJson } {
  const outcome = threeWayMerge(
    withoutServerFields(base),
    withoutServerFields(yours),
    withoutServerFields(theirs),
    choices,
  );
  const merged = (isObject(outcome.merged) ? outcome.merged : {}) as KubeJson;
  const theirMetadata = isObject(theirs.metadata) ? theirs.metadata : {};
  const metadata = { ...(isObject(merged.metadata) ? merged.metadata : {}) };
  for (const field of serverOwnedMetadata) {
    const value = theirMetadata[field];
    if (value !== undefined) metadata[field] = value;
  }
  const result: KubeJson = inOrderOf(theirs, { ...merged, metadata: inOrderOf(theirMetadata, metadata) });
  if (theirs.status !== undefined) result.status = theirs.status;
  return { ...outcome, merged: result };
}

/** `object`'s entries, those `reference` has first and in its order, then the rest in their own. */
function inOrderOf(reference: KubeJson, object: KubeJson): KubeJson {
  const ordered: KubeJson = {};
  for (const key of Object.keys(reference)) {
    const value = object[key];
    if (value !== undefined) ordered[key] = value;
  }
  for (const [key, value] of Object.entries(object)) if (!(key in ordered)) ordered[key] = value;
  return ordered;
}
