import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { ApiError, statusOf } from '../../../lib/api-error.ts';
import { settingsKeys } from './settings-keys.ts';

export interface SetKubesphereAuditingInput {
  enable: boolean;
  /** The ConfigMap version the user saw; a newer one on the server makes this a conflict. */
  resourceVersion: string;
}

/**
 * Sets auditing.enable in kubesphere.yaml. The server fixes the docs' mistakes on the way (a `spec:` level,
 * `enabled` for `enable`), keeping every other line. A 409 comes back as the config as it is now.
 */
export async function setKubesphereAuditing(input: SetKubesphereAuditingInput) {
  const response = await api['kubesphere-config'].auditing.$put({ json: input, query: {} });
  if (response.status === 409) {
    const conflict = await response.json();
    return { outcome: 'conflict' as const, live: conflict.live };
  }
  if (!response.ok) throw new ApiError(await statusOf(response));
  return { outcome: 'stored' as const, written: await response.json() };
}

export function useSetKubesphereAuditing() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setKubesphereAuditing,
    onSettled: () => queryClient.invalidateQueries({ queryKey: settingsKeys.kubesphereConfig() }),
  });
}
