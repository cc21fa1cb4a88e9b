import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { settingsKeys } from './settings-keys.ts';

/** `kubectl rollout restart deployment/ks-apiserver`: ks-apiserver reads kubesphere.yaml only at start. */
export async function restartKsApiserver() {
  return okJson(api['kubesphere-config']['restart-ks-apiserver'].$post());
}

export async function getKsApiserverRollout() {
  return okJson(api['kubesphere-config'].rollout.$get());
}

export type RolloutState = Awaited<ReturnType<typeof getKsApiserverRollout>>;

/** The rollout as `kubectl rollout status` judges it; polled every second while it is under way. */
export const rolloutQueryOptions = (watching: boolean) =>
  queryOptions({
    queryKey: settingsKeys.rollout(),
    queryFn: getKsApiserverRollout,
    refetchInterval: (query) => (watching && !query.state.data?.done && !query.state.data?.failed ? 1_000 : false),
  });

export function useKsApiserverRollout(watching: boolean) {
  return useQuery({ ...rolloutQueryOptions(watching), enabled: watching });
}

export function useRestartKsApiserver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restartKsApiserver,
    onSuccess: (state) => {
      // The patch's answer first (a new generation, not yet observed), then polling until it is rolled out.
      queryClient.setQueryData(settingsKeys.rollout(), state);
      void queryClient.invalidateQueries({ queryKey: settingsKeys.rollout() });
    },
  });
}
