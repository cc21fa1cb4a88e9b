import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

export const healthQueries = {
  all: () =>
    queryOptions({
      queryKey: ['health'],
      queryFn: async () => {
        const response = await api.healthz.$get();
        return response.json();
      },
      refetchInterval: 5_000,
    }),
};
