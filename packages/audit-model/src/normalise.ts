import { type AuditLevel, auditLevels, type EventSource, type Stage, stages } from './enums.ts';
import type { AuditEvent, ObjectReference, ResponseStatus, UserInfo } from './event.ts';

/**
 * Turns a receiver request body into events. Both payload shapes are accepted: kube-apiserver's
 * `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[…]}` and ks-apiserver's `{"Items":[…]}`.
 * Keys are matched case-insensitively, as Go's encoding/json does in KubeSphere's webhook (reference
 * §5.2), so `auditID`, `AuditID` and `auditid` are one field. Unknown keys are ignored: new ones appear
 * over time (authenticationMetadata arrived in 1.35).
 *
 * This runs for every event at tens of thousands per second, so it is hand-written rather than a zod
 * parse: one pass over each object's keys through a lower-case lookup table.
 */

export class PayloadError extends Error {
  readonly status: 400 | 422;
  /** Where the problem is, e.g. `items[3].stage`. */
  readonly field: string | undefined;
  constructor(status: 400 | 422, message: string, field?: string) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'PayloadError';
    this.status = status;
    this.field = field;
  }
}

export interface NormalisedBatch {
  source: EventSource;
  events: AuditEvent[];
}

export interface NormaliseOptions {
  /** The workspace of a namespace (its `kubesphere.io/workspace` label), from a watched cache. */
  workspaceOf?: (namespace: string) => string | undefined;
}

/**
 * Lower-case name → canonical name, plus the spellings senders actually use (the canonical one, and
 * kube-apiserver's lower-camel one) so the common case is one lookup without lower-casing the key.
 * A Map, not an object: a JSON key such as `__proto__` or `constructor` must not hit Object.prototype.
 */
type Canonical = Map<string, string>;
const table = (names: string[]): Canonical => {
  const canonical: Canonical = new Map();
  for (const name of names) {
    canonical.set(name.toLowerCase(), name);
    canonical.set(name, name);
    canonical.set(lowerCamel(name), name);
  }
  return canonical;
};

function lowerCamel(name: string): string {
  if (name === 'AuditID') return 'auditID';
  if (name === 'RequestURI') return 'requestURI';
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const eventKeys = table([
  'AuditID',
  'Stage',
  'Level',
  'Verb',
  'RequestURI',
  'User',
  'ImpersonatedUser',
  'SourceIPs',
  'UserAgent',
  'ObjectRef',
  'ResponseStatus',
  'RequestObject',
  'ResponseObject',
  'RequestReceivedTimestamp',
  'StageTimestamp',
  'Annotations',
  'Workspace',
  'Devops',
  'Cluster',
  'Message',
]);
const userKeys = table(['username', 'uid', 'groups', 'extra']);
const objectRefKeys = table([
  'Resource',
  'Namespace',
  'Name',
  'UID',
  'APIGroup',
  'APIVersion',
  'ResourceVersion',
  'Subresource',
]);
const statusKeys = table(['metadata', 'code', 'status', 'reason', 'message', 'details']);

const levelByLower = table([...auditLevels]) as Map<string, AuditLevel>;
const stageByLower = table([...stages]) as Map<string, Stage>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function canonicalName(keys: Canonical, key: string): string | undefined {
  return keys.get(key) ?? keys.get(key.toLowerCase());
}

/** Re-keys `raw` by `keys`; keys it does not know are left out. */
function canonicalise(raw: Record<string, unknown>, keys: Canonical): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key in raw) {
    const name = canonicalName(keys, key);
    if (name !== undefined) values[name] = raw[key];
  }
  return values;
}

/**
 * A bad field, named by its canonical top-level name and the canonical names below it. Building the
 * sender-spelled path (`items[3].requestReceivedTimestamp`) is left to the error path: on a valid event,
 * which is nearly every event, no path string is made at all.
 */
class FieldError extends Error {
  readonly top: string;
  readonly below: string | undefined;
  constructor(message: string, top: string, below?: string) {
    super(message);
    this.top = top;
    this.below = below;
  }
}

function optionalString(value: unknown, top: string, below?: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FieldError(`must be a string, got ${typeName(value)}`, top, below);
  return value;
}

function requiredString(value: unknown, top: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new FieldError(
      value === undefined ? 'is required' : `must be a non-empty string, got ${typeName(value)}`,
      top,
    );
  }
  return value;
}

function stringArray(value: unknown, top: string, below?: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  // KubeSphere's archived lines flatten lists to comma-joined strings; accept them back.
  if (typeof value === 'string') return value === '' ? [] : value.split(',');
  if (!Array.isArray(value)) throw new FieldError('must be a list of strings', top, below);
  for (const entry of value)
    if (typeof entry !== 'string') throw new FieldError('must be a list of strings', top, below);
  return value as string[];
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function timestamp(value: unknown, top: string): string {
  const text = requiredString(value, top);
  if (Number.isNaN(Date.parse(text))) throw new FieldError(`is not an RFC 3339 time: ${JSON.stringify(text)}`, top);
  return text;
}

function checkObject(value: unknown, top: string): asserts value is Record<string, unknown> {
  if (!isObject(value)) throw new FieldError(`must be an object, got ${typeName(value)}`, top);
}

function userInfo(value: unknown, top: string): UserInfo | undefined {
  if (value === undefined || value === null) return undefined;
  checkObject(value, top);
  const values = canonicalise(value, userKeys);
  const user: UserInfo = {};
  const username = optionalString(values.username, top, 'username');
  if (username !== undefined) user.username = username;
  const uid = optionalString(values.uid, top, 'uid');
  if (uid !== undefined) user.uid = uid;
  const groups = stringArray(values.groups, top, 'groups');
  if (groups !== undefined) user.groups = groups;
  if (isObject(values.extra)) user.extra = values.extra as Record<string, string[]>;
  return user;
}

function objectRef(value: unknown): ObjectReference | undefined {
  if (value === undefined || value === null) return undefined;
  checkObject(value, 'ObjectRef');
  const values = canonicalise(value, objectRefKeys);
  const ref: ObjectReference = {};
  for (const name in values) {
    const text = optionalString(values[name], 'ObjectRef', name);
    if (text !== undefined) ref[name as keyof ObjectReference] = text;
  }
  return ref;
}

function responseStatus(value: unknown): ResponseStatus | undefined {
  if (value === undefined || value === null) return undefined;
  checkObject(value, 'ResponseStatus');
  const values = canonicalise(value, statusKeys);
  const status: ResponseStatus = {};
  if (values.code !== undefined) {
    if (typeof values.code !== 'number' || !Number.isInteger(values.code)) {
      throw new FieldError(`must be an integer HTTP status, got ${typeName(values.code)}`, 'ResponseStatus', 'code');
    }
    status.code = values.code;
  }
  const statusText = optionalString(values.status, 'ResponseStatus', 'status');
  if (statusText !== undefined) status.status = statusText;
  const reason = optionalString(values.reason, 'ResponseStatus', 'reason');
  if (reason !== undefined) status.reason = reason;
  const message = optionalString(values.message, 'ResponseStatus', 'message');
  if (message !== undefined) status.message = message;
  if (isObject(values.metadata)) status.metadata = values.metadata;
  if (values.details !== undefined) status.details = values.details;
  return status;
}

function normaliseEvent(raw: unknown, source: EventSource, options: NormaliseOptions): AuditEvent {
  if (!isObject(raw)) throw new FieldError(`must be an event object, got ${typeName(raw)}`, '');
  const values = canonicalise(raw, eventKeys);

  const levelText = requiredString(values.Level, 'Level');
  const level = levelByLower.get(levelText) ?? levelByLower.get(levelText.toLowerCase());
  if (!level) {
    throw new FieldError(`must be one of ${auditLevels.join(', ')}, got ${JSON.stringify(levelText)}`, 'Level');
  }
  const stageText = requiredString(values.Stage, 'Stage');
  const stage = stageByLower.get(stageText) ?? stageByLower.get(stageText.toLowerCase());
  if (!stage) throw new FieldError(`must be one of ${stages.join(', ')}, got ${JSON.stringify(stageText)}`, 'Stage');

  const ref = objectRef(values.ObjectRef);
  const workspace = optionalString(values.Workspace, 'Workspace') ?? '';
  const namespace = ref?.Namespace;
  const event: AuditEvent = {
    AuditID: requiredString(values.AuditID, 'AuditID'),
    Stage: stage,
    Level: level,
    Verb: requiredString(values.Verb, 'Verb').toLowerCase(),
    RequestURI: optionalString(values.RequestURI, 'RequestURI') ?? '',
    User: userInfo(values.User, 'User') ?? {},
    SourceIPs: stringArray(values.SourceIPs, 'SourceIPs') ?? [],
    RequestReceivedTimestamp: timestamp(values.RequestReceivedTimestamp, 'RequestReceivedTimestamp'),
    StageTimestamp: timestamp(values.StageTimestamp ?? values.RequestReceivedTimestamp, 'StageTimestamp'),
    Workspace: workspace || (namespace && options.workspaceOf ? (options.workspaceOf(namespace) ?? '') : ''),
    Devops: optionalString(values.Devops, 'Devops') ?? '',
    Cluster: optionalString(values.Cluster, 'Cluster') ?? '',
    Message: optionalString(values.Message, 'Message') ?? '',
    Source: source,
  };
  const impersonated = userInfo(values.ImpersonatedUser, 'ImpersonatedUser');
  if (impersonated) event.ImpersonatedUser = impersonated;
  const userAgent = optionalString(values.UserAgent, 'UserAgent');
  if (userAgent !== undefined) event.UserAgent = userAgent;
  if (ref) event.ObjectRef = ref;
  const status = responseStatus(values.ResponseStatus);
  if (status) event.ResponseStatus = status;
  if (values.RequestObject !== undefined && values.RequestObject !== null) event.RequestObject = values.RequestObject;
  if (values.ResponseObject !== undefined && values.ResponseObject !== null)
    event.ResponseObject = values.ResponseObject;
  if (isObject(values.Annotations)) event.Annotations = values.Annotations as Record<string, string>;
  return event;
}

/**
 * The path of a bad field as the sender wrote it: the item, the top-level key in the sender's own spelling
 * (the last one, which is the one canonicalise kept), or the shape's spelling when the key was left out.
 */
function fieldPath(item: string, raw: unknown, error: FieldError, source: EventSource): string {
  if (error.top === '') return item;
  let spelled: string | undefined;
  if (isObject(raw)) for (const key in raw) if (canonicalName(eventKeys, key) === error.top) spelled = key;
  spelled ??= source === 'kubernetes' ? lowerCamel(error.top) : error.top;
  return `${item}.${spelled}${error.below === undefined ? '' : `.${error.below}`}`;
}

/** Which shape a body is, from its list key and apiVersion (reference §5.3). */
function detectShape(body: Record<string, unknown>): { source: EventSource; listKey: string } | undefined {
  let listKey: string | undefined;
  for (const key in body) if (key.toLowerCase() === 'items') listKey = key;
  if (listKey === undefined) return undefined;
  const apiVersion = Object.entries(body).find(([key]) => key.toLowerCase() === 'apiversion')?.[1];
  const kubernetes = (typeof apiVersion === 'string' && apiVersion.startsWith('audit.k8s.io/')) || listKey === 'items';
  return { source: kubernetes ? 'kubernetes' : 'kubesphere', listKey };
}

/** Normalises a parsed JSON body. Throws a PayloadError naming the first bad item and field. */
export function normaliseBatch(body: unknown, options: NormaliseOptions = {}): NormalisedBatch {
  if (!isObject(body)) {
    throw new PayloadError(422, `the body must be a JSON object with an items list, got ${typeName(body)}`);
  }
  const shape = detectShape(body);
  if (!shape) {
    throw new PayloadError(
      422,
      'the body has no items list: expected an audit.k8s.io/v1 EventList ({"items":[…]}) or a KubeSphere batch ({"Items":[…]})',
    );
  }
  const list = body[shape.listKey];
  if (!Array.isArray(list)) throw new PayloadError(422, `must be a list, got ${typeName(list)}`, shape.listKey);
  const events: AuditEvent[] = new Array(list.length);
  for (let index = 0; index < list.length; index++) {
    try {
      events[index] = normaliseEvent(list[index], shape.source, options);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      const field = fieldPath(`${shape.listKey}[${index}]`, list[index], error, shape.source);
      throw new PayloadError(422, error.message, field);
    }
  }
  return { source: shape.source, events };
}
