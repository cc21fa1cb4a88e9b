import { AuditLevel, Stage } from '@auditorium/audit-model';
import { z } from 'zod';

/**
 * audit.k8s.io/v1 `Policy`, with the checks kube-apiserver applies when it loads `--audit-policy-file`
 * (kubernetes/apiserver pkg/apis/audit/v1/types.go and pkg/apis/audit/validation/validation.go). Strict
 * objects, so a misspelt field is an error here rather than a silently ignored rule on the node.
 */

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const GroupResources = z
  .object({
    /** '' is the core group; '*' any group (kube-apiserver 1.36+). Never with a version. */
    group: z
      .string()
      .refine(
        (group) => group === '' || group === '*' || (group.length <= 253 && dnsSubdomain.test(group)),
        'group must be an API group name without a version, such as apps or rbac.authorization.k8s.io',
      )
      .optional(),
    resources: z.array(z.string().min(1)).optional(),
    resourceNames: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((groupResources) => !groupResources.resourceNames?.length || groupResources.resources?.length, {
    message: 'using resourceNames requires at least one resource',
    path: ['resourceNames'],
  });
export type GroupResources = z.infer<typeof GroupResources>;

export const PolicyRule = z
  .object({
    level: AuditLevel,
    users: z.array(z.string()).optional(),
    userGroups: z.array(z.string()).optional(),
    verbs: z.array(z.string()).optional(),
    resources: z.array(GroupResources).optional(),
    namespaces: z.array(z.string()).optional(),
    nonResourceURLs: z.array(z.string()).optional(),
    omitStages: z.array(Stage).optional(),
    omitManagedFields: z.boolean().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const urls = rule.nonResourceURLs ?? [];
    if (urls.length && (rule.resources?.length || rule.namespaces?.length)) {
      ctx.addIssue({
        code: 'custom',
        path: ['nonResourceURLs'],
        message: 'rules cannot apply to both regular resources and non-resource URLs',
      });
    }
    urls.forEach((url, index) => {
      if (url === '*') return;
      const problem = !url
        ? 'empty non-resource URLs are not allowed'
        : !url.startsWith('/')
          ? "non-resource URLs must start with '/'"
          : url.slice(0, -1).includes('*')
            ? "non-resource URL wildcards ('*') must be the final character"
            : undefined;
      if (problem) ctx.addIssue({ code: 'custom', path: ['nonResourceURLs', index], message: problem });
    });
  });
export type PolicyRule = z.infer<typeof PolicyRule>;

export const auditPolicySchema = z
  .object({
    apiVersion: z.literal('audit.k8s.io/v1'),
    kind: z.literal('Policy'),
    metadata: z.looseObject({ name: z.string().optional() }).optional(),
    rules: z.array(PolicyRule).min(1, 'a policy needs at least one rule (kube-apiserver refuses 0 rules)'),
    omitStages: z.array(Stage).optional(),
    omitManagedFields: z.boolean().optional(),
  })
  .strict();
export type AuditPolicy = z.infer<typeof auditPolicySchema>;
