import {
  auditingGroup,
  type auditLevels,
  type priorities,
  prunedWebhookFields,
  ruleSpecSchema,
  webhookSpecSchema,
} from '@auditorium/audit-model';
import { z } from 'zod';
import type { JsonSchema } from './types.ts';

/**
 * What Auditorium knows about the auditing CRDs beyond their own schemas (which have no enums, no defaults and
 * no required fields under spec): audit-model's schemas as JSON Schema, with a sentence per choice so hovers
 * and completion explain the values.
 */

const auditLevelMeaning: Record<(typeof auditLevels)[number], string> = {
  None: 'ks-apiserver records nothing.',
  Metadata: 'Who did what to which object, when and with what result; no bodies.',
  Request: 'Metadata plus the request body (RequestObject). Rules on RequestObject.* need at least this.',
  RequestResponse: 'Request plus the response body (ResponseObject): the most detail and the most volume.',
};

const priorityMeaning: Record<(typeof priorities)[number], string> = {
  DEBUG: 'Every rule priority passes (DEBUG ≤ INFO ≤ WARNING).',
  INFO: 'Rules of priority INFO or WARNING pass; DEBUG rules do not.',
  WARNING: 'Only WARNING rules pass.',
};

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    unrepresentable: 'any',
  }) as JsonSchema;
  return json;
}

function withEnumDescriptions(property: unknown, meanings: Record<string, string>): JsonSchema {
  const base = (typeof property === 'object' && property ? property : {}) as JsonSchema;
  const values = Object.keys(meanings);
  return { ...base, enum: values, enumDescriptions: values.map((value) => meanings[value]) };
}

let webhookOverlay: JsonSchema | undefined;

export function webhookSpecOverlay(): JsonSchema {
  if (webhookOverlay) return webhookOverlay;
  const json = toJsonSchema(webhookSpecSchema);
  const properties = { ...(json.properties as JsonSchema) };
  properties.auditLevel = withEnumDescriptions(properties.auditLevel, auditLevelMeaning);
  properties.archivingPriority = withEnumDescriptions(properties.archivingPriority, priorityMeaning);
  properties.alertingPriority = withEnumDescriptions(properties.alertingPriority, priorityMeaning);
  // The fields the CRD prunes silently are named, so the editor says why they would vanish.
  for (const [field, reason] of Object.entries(prunedWebhookFields)) {
    properties[field] = { deprecationMessage: `spec.${field} is dropped by the apiserver: ${reason}.` };
  }
  webhookOverlay = { ...json, properties };
  return webhookOverlay;
}

let ruleOverlay: JsonSchema | undefined;

export function ruleSpecOverlay(): JsonSchema {
  ruleOverlay ??= toJsonSchema(ruleSpecSchema);
  return ruleOverlay;
}

/** The overlay for an object of `group`/`kind`, if Auditorium has one. */
export function auditingSpecOverlay(group: string, kind: string): JsonSchema | undefined {
  if (group !== auditingGroup) return undefined;
  if (kind === 'Webhook') return webhookSpecOverlay();
  if (kind === 'Rule') return ruleSpecOverlay();
  return undefined;
}
