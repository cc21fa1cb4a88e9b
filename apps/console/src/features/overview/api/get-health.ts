import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

/** `GET /api/healthz`: each component's state, and the receiver's rate in its detail. */
export async function getHealth() {
  return okJson(api.healthz.$get());
}

export const healthQuery = () =>
  queryOptions({ queryKey: ['overview', 'health'], queryFn: getHealth, refetchInterval: 5_000 });

export function useHealth() {
  return useQuery(healthQuery());
}
