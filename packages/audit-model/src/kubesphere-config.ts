import { type Document, isMap, isScalar, parseDocument } from 'yaml';

/**
 * The `auditing:` section of `kubesphere.yaml` inside ConfigMap kubesphere-system/kubesphere-config
 * (reference §6.1). Edits go through the yaml Document API so every comment, key order and unrelated
 * section stays as the admin wrote it; only the keys we change move.
 */
export interface AuditingSection {
  enable: boolean;
  webhookURL?: string;
  eventBatchSize?: number;
  eventBatchInterval?: string;
  eventSendersNum?: number;
}

export interface ConfigProblem {
  /** A stable identifier the console uses to offer the fix. */
  code: 'enabled-instead-of-enable' | 'spec-level' | 'not-a-mapping' | 'yaml-error';
  message: string;
  fixable: boolean;
}

function parse(text: string): Document {
  return parseDocument(text, { keepSourceTokens: false });
}

function auditingNode(document: Document) {
  const node = document.get('auditing', true);
  return isMap(node) ? node : undefined;
}

export function readAuditingSection(text: string): AuditingSection {
  const document = parse(text);
  const auditing = auditingNode(document);
  const get = (key: string) => auditing?.get(key);
  // The installer writes `webhookURL`; ks-apiserver reads it case-insensitively.
  const urlKey = auditing?.items.find(
    (pair) => String((pair.key as { value?: unknown })?.value ?? pair.key).toLowerCase() === 'webhookurl',
  );
  const section: AuditingSection = { enable: get('enable') === true };
  const url = urlKey ? (urlKey.value as { value?: unknown })?.value : undefined;
  if (typeof url === 'string') section.webhookURL = url;
  const batchSize = get('eventBatchSize');
  if (typeof batchSize === 'number') section.eventBatchSize = batchSize;
  const batchInterval = get('eventBatchInterval');
  if (typeof batchInterval === 'string') section.eventBatchInterval = batchInterval;
  const senders = get('eventSendersNum');
  if (typeof senders === 'number') section.eventSendersNum = senders;
  return section;
}

/** The mistakes KubeSphere's own docs lead admins into (reference §9 items 1). */
export function findConfigProblems(text: string): ConfigProblem[] {
  const document = parse(text);
  if (document.errors.length) {
    return [
      { code: 'yaml-error', message: `kubesphere.yaml does not parse: ${document.errors[0]!.message}`, fixable: false },
    ];
  }
  if (!isMap(document.contents)) {
    return [{ code: 'not-a-mapping', message: 'kubesphere.yaml is not a mapping of option groups', fixable: false }];
  }
  const problems: ConfigProblem[] = [];
  if (document.hasIn(['spec', 'auditing'])) {
    problems.push({
      code: 'spec-level',
      message:
        'kubesphere.yaml has spec.auditing; ks-apiserver reads auditing at the top level (there is no spec: level), so this section is ignored',
      fixable: true,
    });
  }
  const auditing = auditingNode(document);
  if (auditing?.has('enabled') || document.hasIn(['spec', 'auditing', 'enabled'])) {
    problems.push({
      code: 'enabled-instead-of-enable',
      message: 'auditing.enabled is ignored by ks-apiserver: the key is auditing.enable',
      fixable: true,
    });
  }
  return problems;
}

/**
 * Sets `auditing.enable`, fixing the docs' spellings on the way: a `spec.auditing` section moves to the top
 * level and `enabled` becomes `enable`. Everything else, comments included, stays.
 */
export function setAuditingEnable(text: string, enable: boolean): string {
  const document = parse(text);
  if (document.errors.length) throw new Error(`kubesphere.yaml does not parse: ${document.errors[0]!.message}`);
  // The usual case, auditing.enable already where it belongs: rewrite only that value's characters, so not
  // even blank lines or indentation elsewhere move (re-serialising the document would normalise them).
  const current = auditingNode(document)?.get('enable', true);
  if (isScalar(current) && current.range && findConfigProblems(text).length === 0) {
    const [start, valueEnd] = current.range;
    return `${text.slice(0, start)}${enable}${text.slice(valueEnd)}`;
  }
  const misplaced = document.getIn(['spec', 'auditing'], true);
  if (misplaced && !document.has('auditing')) document.set('auditing', misplaced);
  if (misplaced) {
    document.deleteIn(['spec', 'auditing']);
    const spec = document.get('spec', true);
    if (isMap(spec) && spec.items.length === 0) document.delete('spec');
  }
  if (!document.has('auditing')) document.set('auditing', document.createNode({}));
  const auditing = auditingNode(document);
  if (auditing?.has('enabled')) auditing.delete('enabled');
  document.setIn(['auditing', 'enable'], enable);
  return document.toString();
}
