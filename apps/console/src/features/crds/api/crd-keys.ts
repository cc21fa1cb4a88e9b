/** Query keys of the CRDs feature; all start with 'crds' so a save can invalidate by prefix. */
export const crdKeys = {
  all: ['crds'] as const,
  list: (query: string, scope: string | undefined) => ['crds', 'list', query, scope ?? ''] as const,
  detail: (name: string) => ['crds', 'detail', name] as const,
  schema: (name: string) => ['crds', 'schema', name] as const,
  resources: (name: string, namespace: string | undefined) => ['crds', 'resources', name, namespace ?? ''] as const,
  object: (name: string, namespace: string | undefined, object: string) =>
    ['crds', 'object', name, namespace ?? '', object] as const,
  access: (name: string, namespace: string | undefined, object: string) =>
    ['crds', 'access', name, namespace ?? '', object] as const,
};
