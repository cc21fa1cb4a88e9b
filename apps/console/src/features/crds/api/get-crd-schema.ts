import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';
import { crdKeys } from './crd-keys.ts';

/** The openAPIV3Schema of the CRD's version, which the YAML editor validates against. */
export async function getCrdSchema(name: string) {
  return okJson(api.crds[':name'].schema.$get({ param: { name } }));
}

export const crdSchemaQueryOptions = (name: string) =>
  queryOptions({ queryKey: crdKeys.schema(name), queryFn: () => getCrdSchema(name), staleTime: 5 * 60_000 });

export function useCrdSchema(name: string) {
  return useQuery(crdSchemaQueryOptions(name));
}
