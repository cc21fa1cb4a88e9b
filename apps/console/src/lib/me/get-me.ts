import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { api } from '../api-client.ts';
import { okJson } from '../api-error.ts';

/**
 * `/api/me`: who is signed in, what they may do (one SelfSubjectAccessReview per console action) and which
 * namespaces' events they may read. Every feature reads it to disable what the cluster would refuse,
 * showing the cluster's reason. It lives in lib, not in a feature, because every feature needs it.
 */
export async function getMe() {
  return okJson(api.me.$get());
}

export type Me = Awaited<ReturnType<typeof getMe>>;
export type CapabilityName = keyof Me['capabilities'];

export const meQueries = {
  current: () =>
    queryOptions({
      queryKey: ['me'],
      queryFn: getMe,
      // Permissions change rarely; re-asked on focus and every minute so a granted role shows up.
      staleTime: 30_000,
      refetchInterval: 60_000,
    }),
};

/** The signed-in user. The shell's route loads it before any page renders, so this never suspends there. */
export function useMe(): Me {
  return useSuspenseQuery(meQueries.current()).data;
}
