import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { ApiError, statusOf } from '../../../lib/api-error.ts';
import type { KubeObject } from '../../../lib/yaml-editor/resource-yaml.ts';
import { settingsKeys } from './settings-keys.ts';

export interface SaveWebhookInput {
  /** The whole object, carrying the resourceVersion it was based on. */
  webhook: KubeObject;
  /** Ask the apiserver what it would store, without storing (`?dryRun=All`). */
  dryRun: boolean;
}

/**
 * Replaces the Webhook with optimistic concurrency. A 409 is not an error here: it comes back with the
 * object as the server holds it now, for the three-way merge.
 */
export async function saveWebhook({ webhook, dryRun }: SaveWebhookInput) {
  const response = await api.webhook.$put({
    json: webhook as Parameters<typeof api.webhook.$put>[0]['json'],
    query: dryRun ? { dryRun: 'All' } : {},
  });
  if (response.status === 409) {
    const conflict = await response.json();
    return { outcome: 'conflict' as const, live: conflict.live as KubeObject };
  }
  if (!response.ok) throw new ApiError(await statusOf(response));
  const written = await response.json();
  return { outcome: 'stored' as const, written, stored: written.webhook as KubeObject };
}

export type SaveWebhookResult = Awaited<ReturnType<typeof saveWebhook>>;

export function useSaveWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: saveWebhook,
    onSuccess: (result, input) => {
      if (result.outcome === 'stored' && !input.dryRun) {
        void queryClient.invalidateQueries({ queryKey: settingsKeys.all });
      }
    },
  });
}
