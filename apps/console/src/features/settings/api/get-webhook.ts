import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { settingsKeys } from './settings-keys.ts';

/** The Webhook kube-auditing-webhook with the problems the server found in it. */
export async function getWebhook() {
  return okJson(api.webhook.$get());
}

export type WebhookView = Awaited<ReturnType<typeof getWebhook>>;

export const webhookQueryOptions = () => queryOptions({ queryKey: settingsKeys.webhook(), queryFn: getWebhook });

export function useWebhook() {
  return useQuery(webhookQueryOptions());
}
