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

type Canonical = Record<string, string>;
const table = (names: string[]): Canonical => Object.fromEntries(names.map((name) => [name.toLowerCase(), name]));

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

const levelByLower = table([...auditLevels]) as Record<string, AuditLevel>;
const stageByLower = table([...stages]) as Record<string, Stage>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Re-keys `raw` by `keys`; also returns the sender's own spelling of each key for error messages. */
function canonicalise(raw: Record<string, unknown>, keys: Canonical) {
  const values: Record<string, unknown> = {};
  const spelled: Record<string, string> = {};
  for (const key in raw) {
    const name = keys[key.toLowerCase()];
    if (name !== undefined) {
      values[name] = raw[key];
      spelled[name] = key;
    }
  }
  return { values, spelled };
}

interface Context {
  path: string;
  /** The field name as this shape spells it when the sender left it out. */
  spell: (canonical: string) => string;
}

const lowerCamel = (name: string) =>
  name === 'AuditID' ? 'auditID' : name === 'RequestURI' ? 'requestURI' : name.charAt(0).toLowerCase() + name.slice(1);

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new PayloadError(422, `must be a string, got ${typeName(value)}`, field);
  return value;
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new PayloadError(
      422,
      value === undefined ? 'is required' : `must be a non-empty string, got ${typeName(value)}`,
      field,
    );
  }
  return value;
}

function stringArray(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  // KubeSphere's archived lines flatten lists to comma-joined strings; accept them back.
  if (typeof value === 'string') return value === '' ? [] : value.split(',');
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw new PayloadError(422, 'must be a list of strings', field);
  }
  return value as string[];
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function timestamp(value: unknown, field: string): string {
  const text = requiredString(value, field);
  if (Number.isNaN(Date.parse(text)))
    throw new PayloadError(422, `is not an RFC 3339 time: ${JSON.stringify(text)}`, field);
  return text;
}

function userInfo(value: unknown, field: string): UserInfo | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new PayloadError(422, `must be an object, got ${typeName(value)}`, field);
  const { values } = canonicalise(value, userKeys);
  const user: UserInfo = {};
  const username = optionalString(values.username, `${field}.username`);
  if (username !== undefined) user.username = username;
  const uid = optionalString(values.uid, `${field}.uid`);
  if (uid !== undefined) user.uid = uid;
  const groups = stringArray(values.groups, `${field}.groups`);
  if (groups !== undefined) user.groups = groups;
  if (isObject(values.extra)) user.extra = values.extra as Record<string, string[]>;
  return user;
}

function objectRef(value: unknown, field: string): ObjectReference | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new PayloadError(422, `must be an object, got ${typeName(value)}`, field);
  const { values } = canonicalise(value, objectRefKeys);
  const ref: ObjectReference = {};
  for (const name in values) {
    const text = optionalString(values[name], `${field}.${name}`);
    if (text !== undefined) ref[name as keyof ObjectReference] = text;
  }
  return ref;
}

function responseStatus(value: unknown, field: string): ResponseStatus | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new PayloadError(422, `must be an object, got ${typeName(value)}`, field);
  const { values } = canonicalise(value, statusKeys);
  const status: ResponseStatus = {};
  if (values.code !== undefined) {
    if (typeof values.code !== 'number' || !Number.isInteger(values.code)) {
      throw new PayloadError(422, `must be an integer HTTP status, got ${typeName(values.code)}`, `${field}.code`);
    }
    status.code = values.code;
  }
  for (const name of ['status', 'reason', 'message'] as const) {
    const text = optionalString(values[name], `${field}.${name}`);
    if (text !== undefined) status[name] = text;
  }
  if (isObject(values.metadata)) status.metadata = values.metadata;
  if (values.details !== undefined) status.details = values.details;
  return status;
}

function normaliseEvent(raw: unknown, source: EventSource, context: Context, options: NormaliseOptions): AuditEvent {
  if (!isObject(raw)) throw new PayloadError(422, `must be an event object, got ${typeName(raw)}`, context.path);
  const { values, spelled } = canonicalise(raw, eventKeys);
  const at = (name: string) => `${context.path}.${spelled[name] ?? context.spell(name)}`;

  const levelText = requiredString(values.Level, at('Level'));
  const level = levelByLower[levelText.toLowerCase()];
  if (!level)
    throw new PayloadError(
      422,
      `must be one of ${auditLevels.join(', ')}, got ${JSON.stringify(levelText)}`,
      at('Level'),
    );
  const stageText = requiredString(values.Stage, at('Stage'));
  const stage = stageByLower[stageText.toLowerCase()];
  if (!stage)
    throw new PayloadError(422, `must be one of ${stages.join(', ')}, got ${JSON.stringify(stageText)}`, at('Stage'));

  const ref = objectRef(values.ObjectRef, at('ObjectRef'));
  const workspace = optionalString(values.Workspace, at('Workspace')) ?? '';
  const event: AuditEvent = {
    AuditID: requiredString(values.AuditID, at('AuditID')),
    Stage: stage,
    Level: level,
    Verb: requiredString(values.Verb, at('Verb')).toLowerCase(),
    RequestURI: optionalString(values.RequestURI, at('RequestURI')) ?? '',
    User: userInfo(values.User, at('User')) ?? {},
    SourceIPs: stringArray(values.SourceIPs, at('SourceIPs')) ?? [],
    RequestReceivedTimestamp: timestamp(values.RequestReceivedTimestamp, at('RequestReceivedTimestamp')),
    StageTimestamp: timestamp(values.StageTimestamp ?? values.RequestReceivedTimestamp, at('StageTimestamp')),
    Workspace: workspace || (ref?.Namespace && options.workspaceOf ? (options.workspaceOf(ref.Namespace) ?? '') : ''),
    Devops: optionalString(values.Devops, at('Devops')) ?? '',
    Cluster: optionalString(values.Cluster, at('Cluster')) ?? '',
    Message: optionalString(values.Message, at('Message')) ?? '',
    Source: source,
  };
  const impersonated = userInfo(values.ImpersonatedUser, at('ImpersonatedUser'));
  if (impersonated) event.ImpersonatedUser = impersonated;
  const userAgent = optionalString(values.UserAgent, at('UserAgent'));
  if (userAgent !== undefined) event.UserAgent = userAgent;
  if (ref) event.ObjectRef = ref;
  const status = responseStatus(values.ResponseStatus, at('ResponseStatus'));
  if (status) event.ResponseStatus = status;
  if (values.RequestObject !== undefined && values.RequestObject !== null) event.RequestObject = values.RequestObject;
  if (values.ResponseObject !== undefined && values.ResponseObject !== null)
    event.ResponseObject = values.ResponseObject;
  if (isObject(values.Annotations)) event.Annotations = values.Annotations as Record<string, string>;
  return event;
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
  const spell = shape.source === 'kubernetes' ? lowerCamel : (name: string) => name;
  const events = list.map((raw, index) =>
    normaliseEvent(raw, shape.source, { path: `${shape.listKey}[${index}]`, spell }, options),
  );
  return { source: shape.source, events };
}
