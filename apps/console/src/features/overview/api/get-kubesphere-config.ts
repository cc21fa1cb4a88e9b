import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

/** `GET /api/kubesphere-config`: ks-apiserver's `auditing` switch and the problems of kubesphere.yaml. */
export async function getKubesphereConfig() {
  return okJson(api['kubesphere-config'].$get());
}

export const kubesphereConfigQuery = () =>
  queryOptions({
    queryKey: ['overview', 'kubesphere-config'],
    queryFn: getKubesphereConfig,
    refetchInterval: 30_000,
  });

export function useKubesphereConfig(enabled: boolean) {
  return useQuery({ ...kubesphereConfigQuery(), enabled });
}
