/** The console's sections, in navigation order, with what each one is for. */
export const consoleSections = [
  {
    path: '/',
    label: 'Overview',
    summary:
      'The auditing pipeline at a glance: sources on or off, live events per second, archived, alerted and dropped counts, and every misconfiguration found.',
  },
  {
    path: '/settings',
    label: 'Auditing settings',
    summary:
      'The kube-auditing-webhook Webhook as a form and as YAML: audit level, archiving and alerting priorities, receivers, rule selectors, replicas, and the KubeSphere auditing.enable switch.',
  },
  {
    path: '/setup',
    label: 'Kubernetes setup',
    summary:
      'A guided page that generates the kube-apiserver audit policy, the webhook kubeconfig and the flags, with the steps in order.',
  },
  {
    path: '/rules',
    label: 'Rules',
    summary:
      'Rule CRs and their items with load errors, and a playground that tries a condition against recent events.',
  },
  {
    path: '/crds',
    label: 'CRDs',
    summary:
      'Search custom resource definitions by name, group, kind, short name or category, and edit any resource in a schema-aware YAML editor.',
  },
  {
    path: '/live',
    label: 'Live events',
    summary: 'Audit events as they happen, pushed from the receiver, with filters kept in the URL.',
  },
  {
    path: '/search',
    label: 'Search',
    summary: "The archive with KubeSphere's search keys, a time range, a histogram and export.",
  },
] as const;

export type ConsoleSection = (typeof consoleSections)[number];
