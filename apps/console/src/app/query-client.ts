import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isRetryable, isUnauthorized } from '../lib/api-error.ts';

/**
 * The console's query cache. A 401 from any query or mutation means the session is gone (expired, signed
 * out in another tab, server restarted): `onUnauthorized` takes the user to the sign-in page, which brings
 * them back afterwards. Client errors are not retried; they would fail the same way again.
 */
export function createQueryClient(onUnauthorized: () => void): QueryClient {
  const handle = (error: unknown) => {
    if (isUnauthorized(error)) onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: handle }),
    mutationCache: new MutationCache({ onError: handle }),
    defaultOptions: {
      queries: { staleTime: 2_000, retry: (failures, error) => isRetryable(error) && failures < 2 },
      mutations: { retry: false },
    },
  });
}
