import { auditingGroup, webhookPlural } from '@auditorium/audit-model';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import type { JsonSchema } from '../../../lib/yaml-editor/types.ts';
import { settingsKeys } from './settings-keys.ts';

/** The Webhook CRD's openAPIV3Schema, for the YAML editor's validation and hovers. */
export async function getWebhookSchema(): Promise<JsonSchema | null> {
  const crd = await okJson(api.crds[':name'].schema.$get({ param: { name: `${webhookPlural}.${auditingGroup}` } }));
  return (crd.schema ?? null) as JsonSchema | null;
}

export const webhookSchemaQueryOptions = () =>
  queryOptions({
    queryKey: settingsKeys.webhookSchema(),
    queryFn: getWebhookSchema,
    // A CRD's schema changes with an upgrade, not while the page is open.
    staleTime: 10 * 60_000,
    // Without the right to read CRDs, the editor falls back to audit-model's schema alone.
    retry: false,
  });

export function useWebhookSchema() {
  return useQuery(webhookSchemaQueryOptions());
}
