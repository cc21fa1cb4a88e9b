import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { ruleKeys } from './rule-keys.ts';

export type PlaygroundRequest = Parameters<typeof api.rules.test.$post>[0]['json'];

/** The playground: a condition or a whole Rule evaluated against recent archived events (or given ones). */
export async function testRules(request: PlaygroundRequest) {
  return okJson(api.rules.test.$post({ json: request }));
}

export type PlaygroundResponse = Awaited<ReturnType<typeof testRules>>;
export type PlaygroundResult = PlaygroundResponse['results'][number];

export const ruleTestQueryOptions = (request: PlaygroundRequest) =>
  queryOptions({
    queryKey: ruleKeys.test(request),
    queryFn: () => testRules(request),
    // The previous answer stays while the next one is computed, so the results do not flicker as you type.
    placeholderData: keepPreviousData,
    // New events keep arriving: the answer for the same condition is refreshed while the page is open.
    refetchInterval: 5_000,
    retry: false,
  });

/** Runs when `request` is set; a new request (the debounced text) asks again. */
export function useRuleTest(request: PlaygroundRequest | undefined) {
  return useQuery({ ...ruleTestQueryOptions(request ?? { condition: '' }), enabled: request !== undefined });
}
