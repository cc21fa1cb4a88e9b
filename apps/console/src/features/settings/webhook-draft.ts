import type { webhookSpecSchema } from '@auditorium/audit-model';
import { isMap, parseDocument } from 'yaml';
import type { z } from 'zod';
import { deepEqual, type Json } from '../../lib/yaml-editor/three-way-merge.ts';

/** The form's values: the Webhook spec as a user writes it (audit-model's input type). */
export type WebhookSpecInput = z.input<typeof webhookSpecSchema>;

/**
 * Drops what a form leaves behind (undefined, empty strings of optional fields, and objects that only held
 * those, such as an untouched selector's `{ matchLabels: undefined }`) so the YAML stays minimal. An object
 * that was empty to begin with (`nodeSelector: {}` as the installer writes it) is kept.
 */
export function cleanSpec(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleanSpec);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const entries = Object.entries(value);
    for (const [key, item] of entries) {
      const cleaned = cleanSpec(item);
      if (cleaned === undefined || cleaned === '') continue;
      if (typeof cleaned === 'number' && Number.isNaN(cleaned)) continue;
      out[key] = cleaned;
    }
    return entries.length > 0 && Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/**
 * Writes the form's spec into the YAML text, field by field: unchanged fields keep their comments and order,
 * and everything outside `spec` stays exactly as the user wrote it. Text that does not parse is left alone.
 */
export function setSpecInYaml(text: string, spec: WebhookSpecInput): string {
  const document = parseDocument(text);
  if (document.errors.length) return text;
  const wanted = (cleanSpec(spec) ?? {}) as Record<string, Json>;
  const specNode = document.get('spec', true);
  if (!isMap(specNode)) {
    document.set('spec', document.createNode(wanted));
    return document.toString({ lineWidth: 0 });
  }
  const current = (specNode.toJSON() ?? {}) as Record<string, Json>;
  let changed = false;
  for (const key of Object.keys(current)) {
    if (!(key in wanted)) {
      specNode.delete(key);
      changed = true;
    }
  }
  for (const [key, value] of Object.entries(wanted)) {
    if (deepEqual(current[key], value)) continue;
    specNode.set(key, document.createNode(value));
    changed = true;
  }
  return changed ? document.toString({ lineWidth: 0 }) : text;
}

/** A Status cause's field (`spec.receivers[0].config.url`) as a form field name (`receivers.0.config.url`). */
export function formFieldOfCause(field: string | undefined): string | undefined {
  if (!field) return undefined;
  const withoutSpec = field.replace(/^spec\./, '');
  if (withoutSpec === field && field !== 'spec' && !/^[a-zA-Z]/.test(field)) return undefined;
  return withoutSpec.replace(/\[(\d+)\]/g, '.$1').replace(/\[([^\]]+)\]/g, '.$1');
}
