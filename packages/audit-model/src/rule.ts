import { z } from 'zod';
import { Priority, RuleItemType } from './enums.ts';

/** One item of a Rule CR's `spec.rules` (KubeSphere's PolicyRule, reference §3.2). */
export const RuleItem = z.object({
  name: z.string().min(1, 'name is required'),
  type: RuleItemType,
  desc: z.string().optional(),
  condition: z.string().optional(),
  macro: z.string().optional(),
  list: z.array(z.string()).optional(),
  alias: z.string().optional(),
  enable: z.boolean().optional(),
  output: z.string().optional(),
  priority: Priority.optional(),
});
export type RuleItem = z.infer<typeof RuleItem>;

export const ruleSpecSchema = z.object({ rules: z.array(RuleItem).optional() });
export type RuleSpec = z.infer<typeof ruleSpecSchema>;

export interface RuleResource {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string };
  spec?: RuleSpec;
}
