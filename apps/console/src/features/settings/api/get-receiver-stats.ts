import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { settingsKeys } from './settings-keys.ts';

/** The receiver's counters, for the check beside k8sAuditingEnabled (has kube-apiserver sent anything?). */
export async function getReceiverStats() {
  return okJson(api.overview.$get());
}

export const receiverStatsQueryOptions = () =>
  queryOptions({
    queryKey: settingsKeys.receiverStats(),
    queryFn: getReceiverStats,
    refetchInterval: 10_000,
    // The receiver may not run in this process (503): then the check is not made.
    retry: false,
  });

export function useReceiverStats() {
  return useQuery(receiverStatsQueryOptions());
}
