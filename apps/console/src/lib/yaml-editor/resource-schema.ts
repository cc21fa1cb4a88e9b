import type { JsonSchema } from './types.ts';

/**
 * The JSON Schema the editor validates a whole object against: the CRD's openAPIV3Schema (from the cluster),
 * made to behave as the apiserver does, plus a stricter overlay where Auditorium knows more than the CRD
 * (audit-model's enums and ranges for Webhooks and Rules; see auditing-overlays.ts).
 */

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * OpenAPI v3 with Kubernetes extensions → JSON Schema as yaml-language-server reads it:
 * - int-or-string becomes "integer or string";
 * - nullable adds null to the type;
 * - an object with properties and nothing that keeps unknown fields gets additionalProperties: false, because
 *   the apiserver prunes such fields silently; a warning in the editor is the only place a user learns of it.
 */
export function kubernetesToJsonSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'properties' && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, property]) => [
          name,
          isSchema(property) ? kubernetesToJsonSchema(property) : property,
        ]),
      );
    } else if ((keyword === 'items' || keyword === 'additionalProperties' || keyword === 'not') && isSchema(value)) {
      out[keyword] = kubernetesToJsonSchema(value);
    } else if ((keyword === 'allOf' || keyword === 'anyOf' || keyword === 'oneOf') && Array.isArray(value)) {
      out[keyword] = value.map((item) => (isSchema(item) ? kubernetesToJsonSchema(item) : item));
    } else if (keyword !== 'nullable' && !keyword.startsWith('x-kubernetes-')) {
      out[keyword] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const keepsUnknown =
    schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-embedded-resource'] === true;
  if (isSchema(out.properties) && out.additionalProperties === undefined && !keepsUnknown) {
    out.additionalProperties = false;
  }
  return out;
}

/** Recursively lays `overlay` over `base`: properties merge key by key, other keywords from the overlay win. */
export function overlaySchema(base: JsonSchema, overlay: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...base };
  for (const [keyword, value] of Object.entries(overlay)) {
    const current = out[keyword];
    if (keyword === 'properties' && isSchema(value) && isSchema(current)) {
      const properties: JsonSchema = { ...current };
      for (const [name, property] of Object.entries(value)) {
        const existing = properties[name];
        properties[name] = isSchema(existing) && isSchema(property) ? overlaySchema(existing, property) : property;
      }
      out.properties = properties;
    } else if ((keyword === 'items' || keyword === 'additionalProperties') && isSchema(value) && isSchema(current)) {
      out[keyword] = overlaySchema(current, value);
    } else if (keyword === 'description' && typeof current === 'string' && current.length > 0) {
      // Keep the CRD's own text and add ours below it: hovers then show both.
      if (current !== value) out.description = `${current}\n\n${String(value)}`;
    } else {
      out[keyword] = value;
    }
  }
  // An overlay's anyOf replaces a CRD type ("integer or string" ranges): drop the conflicting plain type.
  if (overlay.anyOf !== undefined && overlay.type === undefined) delete out.type;
  return out;
}

const objectMetaSchema: JsonSchema = {
  type: 'object',
  description: 'Standard object metadata.',
  properties: {
    name: { type: 'string', description: 'The object name, unique within its namespace (or the cluster).' },
    namespace: { type: 'string', description: 'The namespace of a namespaced object.' },
    labels: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Labels select objects; Webhook rule selectors match them on Rule CRs.',
    },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    resourceVersion: {
      type: 'string',
      description: 'Set by the server. An update must carry the version it was based on, or it is refused (409).',
    },
    generation: { type: 'integer', description: 'Set by the server.' },
    uid: { type: 'string', description: 'Set by the server.' },
    creationTimestamp: { type: ['string', 'null'], description: 'Set by the server.' },
    deletionTimestamp: { type: ['string', 'null'], description: 'Set by the server.' },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
    managedFields: { type: 'array', items: { type: 'object' }, description: 'Field ownership, kept by the server.' },
    generateName: { type: 'string' },
  },
};

export interface ResourceSchemaOptions {
  apiVersion?: string;
  kind?: string;
  /** Laid over the CRD's `spec` schema. */
  specOverlay?: JsonSchema | undefined;
}

/** The schema of a whole object of a CRD (or of an object whose CRD schema is unknown). */
export function resourceDocumentSchema(
  openApiV3Schema: JsonSchema | undefined,
  { apiVersion, kind, specOverlay }: ResourceSchemaOptions = {},
): JsonSchema {
  const crd = openApiV3Schema ? kubernetesToJsonSchema(openApiV3Schema) : { type: 'object' };
  const properties: JsonSchema = { ...(isSchema(crd.properties) ? crd.properties : {}) };
  properties.apiVersion = apiVersion
    ? { type: 'string', enum: [apiVersion], description: 'The group and version of this kind.' }
    : { type: 'string' };
  properties.kind = kind ? { type: 'string', enum: [kind] } : { type: 'string' };
  properties.metadata = objectMetaSchema;
  if (specOverlay) {
    const spec = isSchema(properties.spec) ? properties.spec : { type: 'object' };
    properties.spec = overlaySchema(spec, specOverlay);
  }
  if (isSchema(properties.status)) {
    properties.status = {
      ...properties.status,
      description: 'Written by controllers; an edit here is not saved with the object.',
    };
  }
  const { $schema: _dialect, ...rest } = crd;
  return { ...rest, type: 'object', properties, required: ['apiVersion', 'kind', 'metadata'] };
}
