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

const DOT = 46;

/**
 * A flattened key prepared for lookups: split into segments, with the lower-case rest of the key from each
 * segment on, so a miss can be resolved (case-insensitively, or through keys that contain dots) in one
 * pass over the object's keys. Conditions and templates prepare their keys once, at compile time.
 */
export class FlatKey {
  readonly text: string;
  readonly segments: readonly string[];
  /** `rests[i]` is `segments.slice(i).join('.')` in lower case. */
  readonly rests: readonly string[];

  constructor(text: string) {
    this.text = text;
    this.segments = text.split('.');
    this.rests = this.segments.map((_, i) => this.segments.slice(i).join('.').toLowerCase());
  }
}

export class FlatEvent {
  readonly #source: JsonObject;
  #decoded: Map<string, unknown> | undefined;

  constructor(source: object) {
    this.#source = source as JsonObject;
  }

  /** The value of a flattened key (`ObjectRef.Resource`), `null` for a JSON null, `undefined` when absent. */
  get(key: string | FlatKey): unknown {
    return this.lookup(typeof key === 'string' ? new FlatKey(key) : key);
  }

  lookup(key: FlatKey): unknown {
    const value = descend(this.#source, key, 0, this);
    return value === MISSING ? undefined : value;
  }

  /**
   * KubeSphere's `exists` on a plain field: the key holds a non-null value, or some key below it does
   * (`RequestObject exists` is true for any non-empty request object).
   */
  exists(key: string | FlatKey): boolean {
    return existsBelow(this.#source, typeof key === 'string' ? new FlatKey(key) : key, 0, this);
  }

  /** Every key of the flattened event, for display; evaluation never needs this. */
  toMap(): Map<string, unknown> {
    const map = new Map<string, unknown>();
    for (const key of Object.keys(this.#source)) flattenInto(map, key, this.top(key));
    return map;
  }

  /** A top-level value, with raw JSON in RequestObject / ResponseObject decoded (once per event). */
  top(key: string): unknown {
    const value = this.#source[key];
    if (typeof value !== 'string' || !isRawJsonField(key)) return value;
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

function isRawJsonField(key: string): boolean {
  return (key.length === 13 || key.length === 14) && /^(?:request|response)object$/i.test(key);
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
  for (const key in object) {
    if (key.length === wanted.length && Object.hasOwn(object, key) && key.toLowerCase() === lower) return key;
  }
  return undefined;
}

/**
 * Calls `visit` with each own key of `object` that spells the start of the rest of `key` (from segment
 * `from`) ignoring case, possibly across dots, together with the segment index after it. The exact
 * segment is tried first; the scan over all keys only runs when it does not lead to a value.
 */
function forEachCandidate<T>(
  object: JsonObject,
  key: FlatKey,
  from: number,
  visit: (ownKey: string, next: number) => T | Missing,
): T | Missing {
  const segment = key.segments[from] as string;
  if (Object.hasOwn(object, segment)) {
    const found = visit(segment, from + 1);
    if (found !== MISSING) return found;
  }
  const rest = key.rests[from] as string;
  const first = rest.charCodeAt(0) | 32;
  for (const own in object) {
    const length = own.length;
    if (own === segment || length > rest.length || (own.charCodeAt(0) | 32) !== first) continue;
    if (length < rest.length && rest.charCodeAt(length) !== DOT) continue;
    if (!Object.hasOwn(object, own) || !rest.startsWith(own.toLowerCase())) continue;
    const found = visit(own, from + countDots(own) + 1);
    if (found !== MISSING) return found;
  }
  return MISSING;
}

function countDots(text: string): number {
  let dots = 0;
  for (let i = text.indexOf('.'); i !== -1; i = text.indexOf('.', i + 1)) dots++;
  return dots;
}

// The hot path of every lookup; written out rather than through forEachCandidate to avoid a closure per level.
function descend(container: JsonObject, key: FlatKey, from: number, event?: FlatEvent): unknown | Missing {
  const segment = key.segments[from] as string;
  if (Object.hasOwn(container, segment)) {
    const found = valueAt(container, segment, key, from + 1, event);
    if (found !== MISSING) return found;
  }
  const rest = key.rests[from] as string;
  const first = rest.charCodeAt(0) | 32;
  for (const own in container) {
    const length = own.length;
    if (own === segment || length > rest.length || (own.charCodeAt(0) | 32) !== first) continue;
    if (length < rest.length && rest.charCodeAt(length) !== DOT) continue;
    if (!Object.hasOwn(container, own) || !rest.startsWith(own.toLowerCase())) continue;
    const found = valueAt(container, own, key, from + countDots(own) + 1, event);
    if (found !== MISSING) return found;
  }
  return MISSING;
}

function valueAt(container: JsonObject, own: string, key: FlatKey, next: number, event?: FlatEvent): unknown | Missing {
  const value = event ? event.top(own) : container[own];
  if (value === undefined) return MISSING;
  if (next === key.segments.length) return isObject(value) ? MISSING : value;
  return isObject(value) ? descend(value, key, next) : MISSING;
}

function existsBelow(container: JsonObject, key: FlatKey, from: number, event?: FlatEvent): boolean {
  const found = forEachCandidate(container, key, from, (own, next) => {
    const value = event ? event.top(own) : container[own];
    if (next === key.segments.length) return hasValue(value) ? true : MISSING;
    return isObject(value) && existsBelow(value, key, next) ? true : MISSING;
  });
  if (found === true) return true;
  // A flat key is a plain string, so `Annotations.kubesphere exists` is true for the key
  // `Annotations.kubesphere.io/workspace`: look for keys that merely start with the rest of the path.
  const prefix = `${key.rests[from]}.`;
  for (const own in container) {
    if (!Object.hasOwn(container, own) || own.length <= prefix.length) continue;
    if (own.toLowerCase().startsWith(prefix) && hasValue(event ? event.top(own) : container[own])) return true;
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
