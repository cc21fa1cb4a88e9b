/**
 * The event as KubeSphere's rule engine sees it: a flat map `{ "A.B.C": value }` where nested objects are
 * joined with `.` and arrays stay whole under their key (reference §4). Only leaves are keys: `ObjectRef`
 * alone is not a key, which is why `exists` also looks for keys under a prefix.
 *
 * The map is virtual. A `FlatEvent` answers a flat key by walking the nested event along the key's
 * segments (trying dotted keys such as the annotation `kubesphere.io/workspace` too), so an event is never
 * copied and each rule pays only for the fields it reads. `RequestObject` / `ResponseObject` may arrive as
 * raw JSON text (the archived shape); they are parsed the first time a rule reads into them, once per event.
 *
 * Improvement over KubeSphere: when a key segment is missing, the lookup falls back to a case-insensitive
 * match, so both `User.username` (the JSON tag the shipped rules use) and `User.Username` (what the
 * KubeSphere docs and the archived shape write), or `ResponseStatus.status` and `ResponseStatus.Status`,
 * find the same value. An exact match always wins.
 */

const MISSING: unique symbol = Symbol('missing');
type Missing = typeof MISSING;

type JsonObject = Record<string, unknown>;

const rawJsonFields = new Set(['requestobject', 'responseobject']);

export class FlatEvent {
  readonly #source: JsonObject;
  #decoded: Map<string, unknown> | undefined;

  constructor(source: object) {
    this.#source = source as JsonObject;
  }

  /** The value of a flattened key (`ObjectRef.Resource`), `null` for a JSON null, `undefined` when absent. */
  get(key: string): unknown {
    return this.lookup(key.split('.'));
  }

  /** `get` with the key already split on dots, as compiled conditions hold it. */
  lookup(segments: readonly string[]): unknown {
    const value = this.#resolve(segments);
    return value === MISSING ? undefined : value;
  }

  /**
   * KubeSphere's `exists` on a plain field: the key holds a non-null value, or some key below it does
   * (`RequestObject exists` is true for any non-empty request object).
   */
  exists(segments: readonly string[]): boolean {
    return existsBelow(this.#source, segments, 0, (key) => this.#top(key));
  }

  /** Every key of the flattened event, for display; evaluation never needs this. */
  toMap(): Map<string, unknown> {
    const map = new Map<string, unknown>();
    for (const key of Object.keys(this.#source)) flattenInto(map, key, this.#top(key));
    return map;
  }

  #resolve(segments: readonly string[]): unknown | Missing {
    const source = this.#source;
    let joined = '';
    for (let j = 0; j < segments.length; j++) {
      joined = j === 0 ? (segments[0] as string) : `${joined}.${segments[j]}`;
      const key = findKey(source, joined);
      if (key === undefined) continue;
      const found = descend(this.#top(key), segments, j + 1);
      if (found !== MISSING) return found;
    }
    return MISSING;
  }

  #top(key: string): unknown {
    const value = this.#source[key];
    if (typeof value !== 'string' || !rawJsonFields.has(key.toLowerCase())) return value;
    this.#decoded ??= new Map();
    if (this.#decoded.has(key)) return this.#decoded.get(key);
    const decoded = decodeRawJson(value);
    this.#decoded.set(key, decoded);
    return decoded;
  }
}

export function flattenEvent(event: object): FlatEvent {
  return event instanceof FlatEvent ? event : new FlatEvent(event);
}

// The archived shape writes an absent object as "", which is no value rather than an empty string.
function decodeRawJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed[0] !== '{' && trimmed[0] !== '[') return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own key equal to `wanted`, else one equal ignoring case. */
export function findKey(object: JsonObject, wanted: string): string | undefined {
  if (Object.hasOwn(object, wanted)) return wanted;
  const lower = wanted.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key.length === wanted.length && key.toLowerCase() === lower) return key;
  }
  return undefined;
}

function descend(value: unknown, segments: readonly string[], from: number): unknown | Missing {
  if (value === undefined) return MISSING;
  if (from === segments.length) return isObject(value) ? MISSING : value;
  if (!isObject(value)) return MISSING;
  let joined = '';
  for (let j = from; j < segments.length; j++) {
    joined = j === from ? (segments[j] as string) : `${joined}.${segments[j]}`;
    const key = findKey(value, joined);
    if (key === undefined) continue;
    const found = descend(value[key], segments, j + 1);
    if (found !== MISSING) return found;
  }
  return MISSING;
}

function existsBelow(
  container: JsonObject,
  segments: readonly string[],
  from: number,
  read: (key: string) => unknown,
): boolean {
  let joined = '';
  for (let j = from; j < segments.length; j++) {
    joined = j === from ? (segments[j] as string) : `${joined}.${segments[j]}`;
    const key = findKey(container, joined);
    if (key === undefined) continue;
    const value = read(key);
    if (
      j === segments.length - 1
        ? hasValue(value)
        : isObject(value) && existsBelow(value, segments, j + 1, (k) => value[k])
    ) {
      return true;
    }
  }
  // A flat key is a plain string, so `Annotations.kubesphere exists` is true for the key
  // `Annotations.kubesphere.io/workspace`: look for keys that merely start with the rest of the path.
  const prefix = `${segments.slice(from).join('.')}.`.toLowerCase();
  for (const key of Object.keys(container)) {
    if (key.length > prefix.length && key.toLowerCase().startsWith(prefix) && hasValue(read(key))) return true;
  }
  return false;
}

// A non-null leaf at or below `value` (an empty object flattens to no key at all).
function hasValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (!isObject(value)) return true;
  for (const key of Object.keys(value)) if (hasValue(value[key])) return true;
  return false;
}

function flattenInto(map: Map<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    map.set(key, value);
    return;
  }
  for (const child of Object.keys(value)) flattenInto(map, `${key}.${child}`, value[child]);
}
