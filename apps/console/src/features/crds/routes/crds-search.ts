import { z } from 'zod';

/*
 * The CRD pages keep their state in the URL, so a link opens the same search, the same namespace and the
 * same object. Every value falls back with `.catch`: a hand-edited link drops that value, not the page.
 */

/** A namespace name (an RFC 1123 label). */
const namespaceParam = z
  .string()
  .trim()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
  .optional()
  .catch(undefined);

/** `/crds`: the search text and the scope filter. */
export const crdSearchSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  scope: z.enum(['Namespaced', 'Cluster']).optional().catch(undefined),
});

/** `/crds/$name`: the namespace shown (all when unset) and whether the wide printer columns are shown. */
export const crdResourcesSearchSchema = z.object({
  namespace: namespaceParam,
  wide: z.boolean().optional().catch(undefined),
});

/** `/crds/$name/objects/$object`: the object's namespace (namespaced CRDs) and the managedFields switch. */
export const resourceSearchSchema = z.object({
  namespace: namespaceParam,
  managedFields: z.boolean().optional().catch(undefined),
});

export type CrdSearch = z.output<typeof crdSearchSchema>;
export type CrdResourcesSearch = z.output<typeof crdResourcesSearchSchema>;
