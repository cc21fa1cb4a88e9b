import { z } from 'zod';

/** Which view of the Webhook is open; in the URL so a link opens the same tab. */
export const settingsSearchSchema = z.object({
  tab: z.enum(['form', 'yaml']).default('form').catch('form'),
  managedFields: z.boolean().default(false).catch(false),
});

export type SettingsSearch = z.infer<typeof settingsSearchSchema>;
