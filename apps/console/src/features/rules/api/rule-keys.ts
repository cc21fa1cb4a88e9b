/** Query keys of the Rules feature; all start with 'rules' so a save can invalidate by prefix. */
export const ruleKeys = {
  all: ['rules'] as const,
  list: () => ['rules', 'list'] as const,
  test: (request: unknown) => ['rules', 'test', request] as const,
  object: (namespace: string, name: string) => ['rules', 'object', namespace, name] as const,
  schema: () => ['rules', 'schema'] as const,
};
