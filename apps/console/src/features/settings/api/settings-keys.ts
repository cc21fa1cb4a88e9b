/** Query keys of the settings feature; every one starts with 'settings' so a mutation can invalidate by prefix. */
export const settingsKeys = {
  all: ['settings'] as const,
  webhook: () => ['settings', 'webhook'] as const,
  webhookSchema: () => ['settings', 'webhook-schema'] as const,
  ruleSummaries: () => ['settings', 'rule-summaries'] as const,
  kubesphereConfig: () => ['settings', 'kubesphere-config'] as const,
  rollout: () => ['settings', 'ks-apiserver-rollout'] as const,
  receiverStats: () => ['settings', 'receiver-stats'] as const,
};
