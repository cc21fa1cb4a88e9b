import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { settingsKeys } from './settings-keys.ts';

/** ks-apiserver's auditing switch (ConfigMap kubesphere-config) and the mistakes found in it. */
export async function getKubesphereConfig() {
  return okJson(api['kubesphere-config'].$get());
}

export type KubesphereConfigView = Awaited<ReturnType<typeof getKubesphereConfig>>;

export const kubesphereConfigQueryOptions = () =>
  queryOptions({ queryKey: settingsKeys.kubesphereConfig(), queryFn: getKubesphereConfig });

export function useKubesphereConfig(enabled = true) {
  return useQuery({ ...kubesphereConfigQueryOptions(), enabled });
}
