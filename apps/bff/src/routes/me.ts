import { auditingGroup, kubesphereConfig, rulePlural, webhookName, webhookPlural } from '@auditorium/audit-model';
import { Hono } from 'hono';
import { type AccessQuestion, type Capability, canI } from '../kube/self-review.ts';
import type { AuthenticatedEnv, SignedInUser } from '../kube/user-kube.ts';
import type { ScopeResolver } from '../scope/scope-resolver.ts';
import type { UserScope } from '../scope/user-scope.ts';
import { ksApiserver } from './kubesphere-config.ts';

/**
 * The actions the console offers, each as the Kubernetes permission it needs. The console disables an
 * action and shows `reason` when the cluster says no.
 */
export const capabilityQuestions = {
  readWebhook: { verb: 'get', group: auditingGroup, resource: webhookPlural, name: webhookName },
  updateWebhook: { verb: 'update', group: auditingGroup, resource: webhookPlural, name: webhookName },
  readKubesphereConfig: {
    verb: 'get',
    group: '',
    resource: 'configmaps',
    namespace: kubesphereConfig.namespace,
    name: kubesphereConfig.name,
  },
  updateKubesphereConfig: {
    verb: 'update',
    group: '',
    resource: 'configmaps',
    namespace: kubesphereConfig.namespace,
    name: kubesphereConfig.name,
  },
  restartKsApiserver: {
    verb: 'patch',
    group: 'apps',
    resource: 'deployments',
    namespace: ksApiserver.namespace,
    name: ksApiserver.name,
  },
  listCrds: { verb: 'list', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
  listRules: { verb: 'list', group: auditingGroup, resource: rulePlural },
  updateRules: { verb: 'update', group: auditingGroup, resource: rulePlural },
  listEventsClusterWide: { verb: 'list', group: '', resource: 'events' },
} as const satisfies Record<string, AccessQuestion>;

export type CapabilityName = keyof typeof capabilityQuestions;

export interface Me {
  user: SignedInUser;
  capabilities: Record<CapabilityName, Capability>;
  /** Where the user may read audit events: everything, or these namespaces (scope/, as the archive uses). */
  events: UserScope;
}

export function meRoutes(options: { scopes: ScopeResolver }) {
  return new Hono<AuthenticatedEnv>().get('/', async (c) => {
    const userKube = c.var.userKube;
    const names = Object.keys(capabilityQuestions) as CapabilityName[];
    const [answers, events] = await Promise.all([
      Promise.all(names.map((name) => canI(userKube.kubeConfig, capabilityQuestions[name]))),
      options.scopes.resolve(userKube),
    ]);
    const capabilities = Object.fromEntries(names.map((name, index) => [name, answers[index]!])) as Record<
      CapabilityName,
      Capability
    >;
    const me: Me = { user: userKube.user, capabilities, events };
    return c.json(me, 200);
  });
}
