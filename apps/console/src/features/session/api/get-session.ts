import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

/** `GET /api/session`: public; says whether a session exists and whether this server offers sign-in links. */
export async function getSession() {
  return okJson(api.session.$get());
}

export const sessionQueries = {
  current: () => queryOptions({ queryKey: ['session'], queryFn: getSession, staleTime: 0 }),
};

export function useSession() {
  return useQuery(sessionQueries.current());
}
