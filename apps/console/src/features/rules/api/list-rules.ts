import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { ruleKeys } from './rule-keys.ts';

/** The Rule CRs the user may read, each item with what rule loading made of it. */
export async function listRules() {
  return okJson(api.rules.$get({ query: {} }));
}

export type RulesView = Awaited<ReturnType<typeof listRules>>;
export type RuleView = RulesView['rules'][number];
export type RuleItemView = RuleView['items'][number];

export const rulesQueryOptions = () =>
  queryOptions({
    queryKey: ruleKeys.list(),
    queryFn: listRules,
    // The receiver reloads within a second of a change; a refetch every few seconds shows the new state.
    refetchInterval: 5_000,
  });

export function useRules() {
  return useQuery(rulesQueryOptions());
}
