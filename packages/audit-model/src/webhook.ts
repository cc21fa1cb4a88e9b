import { z } from 'zod';
import { AuditLevel, Priority, ReceiverType } from './enums.ts';

/**
 * The `kube-auditing-webhook` Webhook CR (auditing.kubesphere.io/v1alpha1). The CRD itself has no enums,
 * no defaults and no `required` under spec (reference §2.1), so this schema is where they live: the BFF
 * validates with it before the cluster sees a request, the console form and the editor's JSON schema
 * derive from it. `webhookSpecSchema` judges what a user wrote; `effectiveWebhookSettings` reads a stored
 * spec the lenient way the receiver and ks-apiserver do.
 */

const labelSelectorRequirement = z.object({
  key: z.string().min(1, 'key must not be empty'),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
});

export const LabelSelector = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(labelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

export const ServiceReference = z.object({
  namespace: z.string().min(1, 'namespace is required'),
  name: z.string().min(1, 'name is required'),
  path: z.string().optional(),
  port: z.number().int().min(1).max(65535).optional().describe('Defaults to 9093 for alertmanager, 443 for webhook'),
});

export const ReceiverConfig = z
  .object({
    url: z.url({ message: 'must be an absolute URL such as http://alertmanager:9093' }).optional(),
    service: ServiceReference.optional(),
    caBundle: z.base64('caBundle must be base64-encoded PEM').optional(),
  })
  .superRefine((config, ctx) => {
    const set = Number(config.url !== undefined) + Number(config.service !== undefined);
    if (set !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: set === 0 ? ['url'] : ['service'],
        message:
          set === 0
            ? 'a receiver needs exactly one of url or service; neither is set'
            : 'a receiver needs exactly one of url or service; remove one of them',
      });
    }
  });

export const Receiver = z.object({
  name: z.string().min(1, 'name is required'),
  type: ReceiverType,
  config: ReceiverConfig,
});
export type Receiver = z.infer<typeof Receiver>;

export const AuditSinkPolicy = z.object({
  alertingRuleSelector: LabelSelector.optional(),
  archivingRuleSelector: LabelSelector.optional(),
});

const quantity = z.union([z.string(), z.number()]);

export const webhookSpecSchema = z
  .object({
    auditLevel: AuditLevel.optional().describe('What ks-apiserver records of each KubeSphere request'),
    k8sAuditingEnabled: z
      .boolean()
      .optional()
      .describe('Receive kube-apiserver events; ks-apiserver then stops auditing the Kubernetes requests it proxies'),
    archivingPriority: Priority.optional().describe('Archive rule matches of at least this priority'),
    alertingPriority: Priority.optional().describe('Alert on rule matches of at least this priority'),
    auditSinkPolicy: AuditSinkPolicy.optional(),
    receivers: z.array(Receiver).optional(),
    replicas: z.number().int().min(0, 'replicas cannot be negative').optional(),
    image: z.string().optional(),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
    imagePullSecrets: z.array(z.object({ name: z.string() })).optional(),
    args: z.array(z.string()).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    useHTTPS: z.boolean().optional(),
    nodeSelector: z.record(z.string(), z.string()).optional(),
    affinity: z.record(z.string(), z.unknown()).optional(),
    tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
    resources: z
      .object({
        limits: z.record(z.string(), quantity).optional(),
        requests: z.record(z.string(), quantity).optional(),
      })
      .optional(),
  })
  .strict();
export type WebhookSpec = z.infer<typeof webhookSpecSchema>;

/** Legacy and misplaced fields the CRD prunes silently; we name them instead (reference §2.2, §9). */
export const prunedWebhookFields: Record<string, string> = {
  priority: 'the pre-3.2 single priority; use archivingPriority and alertingPriority',
  auditType: 'the removed dynamic-audit switch; it has no effect',
  auditing: 'spec.auditing.k8sAuditingEnabled is a docs error; the field is spec.k8sAuditingEnabled',
  k8sAuditingEnable: 'a misspelling of k8sAuditingEnabled',
};

export const webhookDefaults = {
  auditLevel: 'Metadata',
  k8sAuditingEnabled: false,
  archivingPriority: 'DEBUG',
  alertingPriority: 'WARNING',
  archivingRuleSelector: { matchLabels: { type: 'archiving' } },
  alertingRuleSelector: { matchLabels: { type: 'alerting' } },
  replicas: 1,
  port: 6443,
} as const satisfies Record<string, unknown>;

export interface WebhookSettings {
  auditLevel: AuditLevel;
  k8sAuditingEnabled: boolean;
  archivingPriority: Priority;
  alertingPriority: Priority;
  archivingRuleSelector: LabelSelector;
  alertingRuleSelector: LabelSelector;
  receivers: Receiver[];
}

function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return !selector || (!Object.keys(selector.matchLabels ?? {}).length && !selector.matchExpressions?.length);
}

/**
 * What a stored spec means to the receiver: invalid or missing priorities fall back to DEBUG / WARNING,
 * empty selectors to type=archiving / type=alerting, and receivers that fail validation are left out
 * (they are reported by `webhookSpecSchema` where the user edits).
 */
export function effectiveWebhookSettings(spec: unknown): WebhookSettings {
  const raw = (spec && typeof spec === 'object' ? spec : {}) as Record<string, unknown>;
  const pick = <T>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : fallback;
  };
  const policy = pick(AuditSinkPolicy, raw.auditSinkPolicy, {});
  const receivers = Array.isArray(raw.receivers)
    ? raw.receivers.flatMap((receiver) => {
        const parsed = Receiver.safeParse(receiver);
        return parsed.success ? [parsed.data] : [];
      })
    : [];
  return {
    // ks-apiserver treats a missing or unknown level as None; the CRD text says Metadata is the default
    // when the field is absent, which is what the installer writes.
    auditLevel: raw.auditLevel === undefined ? webhookDefaults.auditLevel : pick(AuditLevel, raw.auditLevel, 'None'),
    k8sAuditingEnabled: raw.k8sAuditingEnabled === true,
    archivingPriority: pick(Priority, raw.archivingPriority, webhookDefaults.archivingPriority),
    alertingPriority: pick(Priority, raw.alertingPriority, webhookDefaults.alertingPriority),
    archivingRuleSelector: isEmptySelector(policy.archivingRuleSelector)
      ? webhookDefaults.archivingRuleSelector
      : policy.archivingRuleSelector!,
    alertingRuleSelector: isEmptySelector(policy.alertingRuleSelector)
      ? webhookDefaults.alertingRuleSelector
      : policy.alertingRuleSelector!,
    receivers,
  };
}
