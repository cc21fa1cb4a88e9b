import { z } from 'zod';

export const setupPresets = ['recommended', 'minimal'] as const;
export const batchMaxWaits = ['1s', '5s', '10s', '30s'] as const;

/**
 * The setup page's choices live in the URL, so a link gives the same files. Each value falls back to its
 * default when missing or malformed.
 */
export const setupSearchSchema = z.object({
  preset: z.enum(setupPresets).default('recommended').catch('recommended'),
  maxWait: z.enum(batchMaxWaits).default('1s').catch('1s'),
});

export type SetupSearch = z.infer<typeof setupSearchSchema>;
