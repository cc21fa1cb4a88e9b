import { z } from 'zod';
import { sampleSizes } from '../playground-request.ts';

/** `namespace/name` of a Rule CR. */
const ruleRef = z
  .string()
  .regex(/^[a-z0-9.-]+\/[a-z0-9.-]+$/)
  .optional()
  .catch(undefined);

/**
 * The Rules page's state lives in the URL, so a link opens the same Rule in the editor and tries the same
 * condition: `edit` and `context` are `namespace/name` of a Rule CR; each value falls back when malformed.
 */
export const rulesSearchSchema = z.object({
  /** The Rule CR open in the YAML editor. */
  edit: ruleRef,
  /** The playground's condition (written once the typing settles). */
  condition: z.string().max(8192).optional().catch(undefined),
  /** The Rule CR tested whole against recent events. */
  test: ruleRef,
  /** The Rule CR whose macros, lists and aliases bare `${name}` references resolve against. */
  context: ruleRef,
  size: z.coerce
    .number()
    .refine((size) => (sampleSizes as readonly number[]).includes(size))
    .default(50)
    .catch(50),
  managedFields: z.boolean().default(false).catch(false),
});

export type RulesSearch = z.infer<typeof rulesSearchSchema>;

export function ruleRefOf(rule: { namespace?: string | undefined; name: string }): string | undefined {
  return rule.namespace ? `${rule.namespace}/${rule.name}` : undefined;
}
