import { auditingGroup, rulePlural, webhookPlural } from '@auditorium/audit-model';
import { Document, isMap, isSeq } from 'yaml';
import { z } from 'zod';
import type { AuditPolicy, PolicyRule } from './audit-policy-schema.ts';

/**
 * The audit policies the setup page offers. `recommended` follows the Kubernetes docs' example policy and
 * the GCE policy it points to (reference k8s-audit.md §2.4): first match wins, noise first at None,
 * secrets and tokens only at Metadata, bodies of changes at Request, and the full before/after of changes
 * to KubeSphere's auditing CRs (who changed what the auditing itself does).
 */
export const policyPresets = ['minimal', 'recommended'] as const;
export const PolicyPreset = z.enum(policyPresets);
export type PolicyPreset = z.infer<typeof PolicyPreset>;

export const presetDescriptions: Record<PolicyPreset, string> = {
  minimal: 'Metadata for every request: who did what to which object, no bodies. Smallest events, no noise filter.',
  recommended:
    'Drops noisy reads and health checks, keeps secrets and tokens at Metadata, records request bodies of changes (so rules on RequestObject can fire) and full before/after of changes to the auditing CRs.',
};

interface CommentedRule {
  /** Why the rule is there, written above it in the file. */
  comment: string;
  rule: PolicyRule;
}

const changes = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const reads = ['get', 'list', 'watch'];

const recommendedRules: CommentedRule[] = [
  {
    comment: "Changes to KubeSphere's auditing configuration: keep the object before and after.",
    rule: {
      level: 'RequestResponse',
      verbs: changes,
      resources: [{ group: auditingGroup, resources: [webhookPlural, rulePlural] }],
    },
  },
  {
    comment: 'kube-proxy watches endpoints and services all the time.',
    rule: {
      level: 'None',
      users: ['system:kube-proxy'],
      verbs: ['watch'],
      resources: [
        { group: '', resources: ['endpoints', 'services', 'services/status'] },
        { group: 'discovery.k8s.io', resources: ['endpointslices'] },
      ],
    },
  },
  {
    comment: 'Node heartbeats and leader election renew leases every few seconds.',
    rule: {
      level: 'None',
      verbs: ['get', 'update'],
      resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }],
    },
  },
  {
    comment: 'Kubelets reading their own node.',
    rule: {
      level: 'None',
      userGroups: ['system:nodes'],
      verbs: ['get'],
      resources: [{ group: '', resources: ['nodes', 'nodes/status'] }],
    },
  },
  {
    comment: 'Reading events and endpoints is frequent and tells little.',
    rule: {
      level: 'None',
      verbs: reads,
      resources: [
        { group: '', resources: ['events', 'endpoints'] },
        { group: 'events.k8s.io', resources: ['events'] },
        { group: 'discovery.k8s.io', resources: ['endpointslices'] },
      ],
    },
  },
  {
    comment: 'Health checks, metrics, API discovery (/api, /apis…) and OpenAPI downloads.',
    rule: {
      level: 'None',
      nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/metrics', '/version', '/openapi*', '/swagger*', '/api*'],
    },
  },
  {
    comment: 'Secrets, ConfigMaps and tokens carry credentials: record who touched them, never their content.',
    rule: {
      level: 'Metadata',
      resources: [
        { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
        { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
      ],
    },
  },
  {
    comment: 'Other reads: who looked at what, without the (large) responses.',
    rule: { level: 'Metadata', verbs: reads },
  },
  {
    comment:
      "Changes: the request body, which KubeSphere's alerting rules read (RequestObject.spec.hostNetwork, nodePort…).",
    rule: { level: 'Request', verbs: changes },
  },
  {
    comment: 'Everything else (exec, attach, proxy, non-resource calls) at Metadata.',
    rule: { level: 'Metadata' },
  },
];

const minimalRules: CommentedRule[] = [
  { comment: 'Every request at Metadata: user, verb, object, response code; no bodies.', rule: { level: 'Metadata' } },
];

function presetRules(preset: PolicyPreset): CommentedRule[] {
  return preset === 'minimal' ? minimalRules : recommendedRules;
}

export function auditPolicy(preset: PolicyPreset): AuditPolicy {
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    // RequestReceived repeats what ResponseComplete says; dropping it halves the events.
    omitStages: ['RequestReceived'],
    ...(preset === 'recommended' ? { omitManagedFields: true } : {}),
    rules: presetRules(preset).map(({ rule }) => rule),
  };
}

/** The policy file, each rule with its reason above it. */
export function auditPolicyYaml(preset: PolicyPreset): string {
  // Rules share verb lists; write them out in full rather than as YAML anchors.
  const document = new Document(auditPolicy(preset), { aliasDuplicateObjects: false });
  document.commentBefore = [
    ` Auditorium audit policy, preset "${preset}": ${presetDescriptions[preset]}`,
    ' kube-apiserver reads it once at start (--audit-policy-file); the first matching rule sets the level.',
  ].join('\n');
  const omitStages = document.get('omitStages', true);
  if (isSeq(omitStages)) {
    omitStages.commentBefore = ' RequestReceived repeats what ResponseComplete says; omitting it halves the events.';
  }
  const rules = document.get('rules', true);
  if (isSeq(rules)) {
    presetRules(preset).forEach(({ comment }, index) => {
      const node = rules.items[index];
      if (isMap(node)) node.commentBefore = ` ${comment}`;
    });
  }
  return document.toString({ lineWidth: 0 });
}
