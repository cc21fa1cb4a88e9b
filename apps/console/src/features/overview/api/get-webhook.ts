import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

/** `GET /api/webhook`: the Webhook CR with the problems the BFF found in it and the Rules. */
export async function getWebhook() {
  return okJson(api.webhook.$get());
}

export const webhookQuery = () =>
  queryOptions({ queryKey: ['overview', 'webhook'], queryFn: getWebhook, refetchInterval: 30_000 });

export function useWebhook(enabled: boolean) {
  return useQuery({ ...webhookQuery(), enabled });
}
