import {
  auditingApiVersion,
  auditingGroup,
  auditingVersion,
  findWebhookProblems,
  prunedWebhookFields,
  type RuleResource,
  rulePlural,
  type WebhookProblem,
  webhookName,
  webhookPlural,
  webhookSpecSchema,
} from '@auditorium/audit-model';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { Hono } from 'hono';
import { z } from 'zod';
import { kubeStatus } from '../kube/kube-errors.ts';
import {
  type ConflictBody,
  dryRunParam,
  dryRunQuery,
  fieldManager,
  type KubeObject,
  writeOrConflict,
} from '../kube/kube-object.ts';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import { validate } from '../middleware/validator.ts';

/**
 * The `kube-auditing-webhook` Webhook CR: read it with its problems, replace it with optimistic
 * concurrency. Every call runs as the signed-in user, so a user without RBAC for it gets the cluster's 403.
 */
export interface WebhookView {
  webhook: KubeObject;
  problems: WebhookProblem[];
  /**
   * The Rule CRs the checks ran against (labels and items), so the console can re-run the same checks
   * on the draft while the user edits; absent when the user may not list Rules.
   */
  rules?: RuleResource[];
}

export interface WebhookWritten extends WebhookView {
  /** True when nothing was stored: `webhook` is what the apiserver would store. */
  dryRun: boolean;
}

const webhookResource = { group: auditingGroup, version: auditingVersion, plural: webhookPlural } as const;

/**
 * The CRD prunes unknown fields silently, so the legacy ones are named with what to use instead, and the
 * rest is judged by the shared spec schema (enums, url xor service, ranges), every problem a cause.
 */
const webhookSpecInput = z.record(z.string(), z.unknown()).superRefine((spec, ctx) => {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (Object.hasOwn(prunedWebhookFields, key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `not a Webhook field, the cluster would drop it: ${prunedWebhookFields[key]}`,
      });
    } else {
      kept[key] = value;
    }
  }
  const parsed = webhookSpecSchema.safeParse(kept);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        ctx.addIssue({ code: 'custom', path: [...issue.path, key], message: `unknown field "${key}"` });
      }
    } else {
      ctx.addIssue({ ...issue, path: [...issue.path] });
    }
  }
});

const webhookBody = z.looseObject({
  apiVersion: z.literal(auditingApiVersion).optional(),
  kind: z.literal('Webhook').optional(),
  metadata: z.looseObject({
    name: z.literal(webhookName, { message: `the Webhook must be named ${webhookName}` }).optional(),
    resourceVersion: z
      .string({ message: 'resourceVersion is required: send the object with the version you loaded' })
      .min(1, 'resourceVersion is required: send the object with the version you loaded'),
  }),
  spec: webhookSpecInput,
});

async function readRules(api: CustomObjectsApi): Promise<{ rules?: RuleResource[]; error?: string }> {
  try {
    const list = (await api.listClusterCustomObject({
      group: auditingGroup,
      version: auditingVersion,
      plural: rulePlural,
    })) as { items: RuleResource[] };
    // Only what the checks read: the console gets no managedFields or annotations of objects it does not show.
    return {
      rules: list.items.map((rule) => ({
        metadata: {
          name: rule.metadata.name,
          ...(rule.metadata.namespace ? { namespace: rule.metadata.namespace } : {}),
          ...(rule.metadata.labels ? { labels: rule.metadata.labels } : {}),
        },
        ...(rule.spec ? { spec: rule.spec } : {}),
      })),
    };
  } catch (error) {
    const status = kubeStatus(error);
    if (!status) throw error;
    return { error: status.message };
  }
}

async function view(api: CustomObjectsApi, webhook: KubeObject): Promise<WebhookView> {
  const { rules, error } = await readRules(api);
  const problems = findWebhookProblems(webhook.spec, rules, error);
  return rules ? { webhook, problems, rules } : { webhook, problems };
}

export function webhookRoutes() {
  return new Hono<AuthenticatedEnv>()
    .get('/', async (c) => {
      const api = c.var.userKube.kubeConfig.makeApiClient(CustomObjectsApi);
      const webhook = (await api.getClusterCustomObject({ ...webhookResource, name: webhookName })) as KubeObject;
      return c.json(await view(api, webhook), 200);
    })
    .put(
      '/',
      validate('query', dryRunQuery),
      validate('json', webhookBody, { kind: 'Webhook', name: webhookName }),
      async (c) => {
        const api = c.var.userKube.kubeConfig.makeApiClient(CustomObjectsApi);
        const body = c.req.valid('json');
        const { dryRun } = c.req.valid('query');
        const outcome = await writeOrConflict(
          async () =>
            (await api.replaceClusterCustomObject({
              ...webhookResource,
              name: webhookName,
              body: {
                ...body,
                apiVersion: auditingApiVersion,
                kind: 'Webhook',
                metadata: { ...body.metadata, name: webhookName },
              },
              ...dryRunParam(dryRun),
              fieldManager,
              fieldValidation: 'Strict',
            })) as KubeObject,
          async () => (await api.getClusterCustomObject({ ...webhookResource, name: webhookName })) as KubeObject,
        );
        if (outcome.conflict) {
          const conflict: ConflictBody<KubeObject> = { status: outcome.status, live: outcome.live };
          return c.json(conflict, 409);
        }
        const written: WebhookWritten = { ...(await view(api, outcome.stored)), dryRun: dryRun === 'All' };
        return c.json(written, 200);
      },
    );
}
