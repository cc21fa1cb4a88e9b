import type { EventStore } from '@auditorium/archive';
import {
  type AuditEvent,
  failureStatus,
  findWebhookProblems,
  normaliseBatch,
  PayloadError,
  type RuleResource,
} from '@auditorium/audit-model';
import type { RuleCR } from '@auditorium/rule-engine';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { StatusError } from '../errors.ts';
import type { ComponentHealth } from '../health.ts';
import { hasCode } from '../kube/kube-errors.ts';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import { invalidStatusFromCauses, validate } from '../middleware/validator.ts';
import { buildReceiverConfig, type RuleItemStatus, type RuleStatus } from '../receiver/config-source.ts';
import type { ScopeResolver } from '../scope/scope-resolver.ts';
import { scopeNamespaceNames, toArchiveScope } from '../scope/user-scope.ts';
import { toArchiveFilter } from './events-filter.ts';
import { listRuleObjects, type RuleObject, readWebhookSpec, ruleSettings } from './rules-cluster.ts';
import {
  evaluateCondition,
  evaluateRule,
  type PlaygroundRequest,
  type PlaygroundResponse,
  playgroundRequest,
} from './rules-playground.ts';

/**
 * The Rules page: the Rule CRs the user may read, each item with what rule loading made of it, and the
 * playground (`POST /rules/test`, rules-playground.ts). Reads run as the signed-in user, so RBAC decides
 * which CRs and which archived events they see. Editing a Rule CR goes through the CRD API (crds.ts).
 */
export interface RulesRoutesOptions {
  scopes: ScopeResolver;
  /** The archive; the playground's "recent events" come from it. */
  eventStore?: EventStore | undefined;
  /** The receiver's own load status when it runs in this process; else it is computed from the user's view. */
  ruleStatus?: (() => RuleStatus | undefined) | undefined;
}

/** What loading made of one item; `type: rule` items always have one, macros, lists and aliases only on error. */
export interface RuleItemLoad {
  state: RuleItemStatus['state'];
  archiving: boolean;
  alerting: boolean;
  /** The load errors, or the warnings of a loaded item. */
  messages: string[];
}

export interface RuleItemView {
  /** The item's name, or `#<index>` for an item without one. */
  name: string;
  type?: string;
  desc?: string;
  condition?: string;
  macro?: string;
  list?: string[];
  alias?: string;
  enable?: boolean;
  output?: string;
  priority?: string;
  load?: RuleItemLoad;
  /** Why the item cannot do what it says with the Webhook as it is (it reads RequestObject at auditLevel Metadata). */
  checks?: string[];
}

export interface RuleView {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  resourceVersion?: string;
  creationTimestamp?: string;
  items: RuleItemView[];
  /** Problems of the whole CR (spec.rules not a list, a name used in two namespaces). */
  problems: string[];
  /** False when the load status does not cover this CR yet (the receiver reloads within a second). */
  loaded: boolean;
}

export interface RulesView {
  load: {
    /** receiver: the status of the receiver running here; computed: rule loading run on what the user reads. */
    origin: 'receiver' | 'computed';
    loadedAt: string;
    settings: RuleStatus['settings'];
    /** Problems of the Webhook's rule settings (a selector that matches nothing, an unknown priority). */
    problems: string[];
    note?: string;
  };
  rules: RuleView[];
}

const listQuery = z.object({
  /** Only this namespace's Rule CRs: for users who may list Rules there but not cluster-wide. */
  namespace: z.string().min(1).optional(),
});

const itemKey = (namespace: string | undefined, ruleCR: string | undefined, item: string | undefined) =>
  `${namespace ?? ''}/${ruleCR ?? ''}/${item ?? ''}`;

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The CRs with each item's load state from `status`, which may cover more CRs than the user may read. */
export function ruleViews(
  objects: readonly RuleObject[],
  status: RuleStatus,
  webhookSpec: Record<string, unknown> | undefined,
): RuleView[] {
  // The Webhook checks that concern single items (audit-model's, as the settings page runs them).
  const checksByItem = new Map<string, string[]>();
  if (webhookSpec) {
    for (const problem of findWebhookProblems(webhookSpec, objects as readonly RuleResource[])) {
      if (!problem.rule) continue;
      const key = itemKey(problem.rule.namespace, problem.rule.name, problem.rule.item);
      checksByItem.set(key, [...(checksByItem.get(key) ?? []), problem.message]);
    }
  }
  const loadByItem = new Map<string, RuleItemLoad>();
  for (const item of status.items) {
    const key = itemKey(item.namespace, item.ruleCR, item.item);
    const known = loadByItem.get(key);
    // An item with an error and a later namesake: both are listed, the error first.
    if (known) known.messages.push(...item.messages);
    else {
      loadByItem.set(key, {
        state: item.state,
        archiving: item.archiving,
        alerting: item.alerting,
        messages: [...item.messages],
      });
    }
  }
  for (const error of status.errors) {
    if (!error.item || !error.ruleCR || loadByItem.has(itemKey(error.namespace, error.ruleCR, error.item))) continue;
    // Errors of macros, lists and aliases (unknown type, replaced by a namesake): not in `items`.
    loadByItem.set(itemKey(error.namespace, error.ruleCR, error.item), {
      state: 'error',
      archiving: false,
      alerting: false,
      messages: [error.reason],
    });
  }
  const crProblems = (namespace: string | undefined, name: string) =>
    [...status.errors, ...status.warnings]
      .filter((problem) => problem.ruleCR === name && problem.namespace === namespace && !problem.item)
      .map((problem) => problem.reason);

  return objects.map((object) => {
    const { name, namespace } = object.metadata;
    const rawItems: unknown = object.spec?.rules;
    const items = (Array.isArray(rawItems) ? rawItems : []).map((raw: unknown, position): RuleItemView => {
      const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      const itemName = optionalText(item.name) || `#${position}`;
      const load = loadByItem.get(itemKey(namespace, name, itemName));
      const list = Array.isArray(item.list) ? item.list.filter((value) => typeof value === 'string') : undefined;
      const view: RuleItemView = { name: itemName };
      for (const field of ['type', 'desc', 'condition', 'macro', 'alias', 'output', 'priority'] as const) {
        const value = optionalText(item[field]);
        if (value !== undefined) view[field] = value;
      }
      if (list) view.list = list;
      if (typeof item.enable === 'boolean') view.enable = item.enable;
      if (load) view.load = load;
      const checks = checksByItem.get(itemKey(namespace, name, itemName));
      if (checks) view.checks = checks;
      return view;
    });
    return {
      name,
      ...(namespace ? { namespace } : {}),
      labels: { ...(object.metadata.labels ?? {}) },
      ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
      ...(object.metadata.creationTimestamp ? { creationTimestamp: object.metadata.creationTimestamp } : {}),
      items,
      problems: crProblems(namespace, name),
      loaded: status.ruleResources.some((resource) => resource.name === name && resource.namespace === namespace),
    };
  });
}

/**
 * `/api/healthz`'s "rules" component: whether the receiver has loaded the Rule CRs, and how many items
 * failed to load (degraded: those rules do nothing until fixed; the Rules page says why).
 */
export function rulesHealth(status: RuleStatus | undefined): ComponentHealth {
  if (!status) return { state: 'starting', reason: 'the receiver has not loaded the Rule CRs yet' };
  const failed = status.items.filter((item) => item.state === 'error');
  const detail = {
    ruleResources: status.ruleResources.length,
    items: status.items.length,
    active: status.items.filter((item) => item.state === 'active').length,
    failed: failed.length,
    loadedAt: status.loadedAt,
  };
  const settingsErrors = status.errors.filter((error) => !error.ruleCR);
  if (failed.length === 0 && settingsErrors.length === 0) return { state: 'ok', detail };
  const first = failed[0];
  const reasons = [
    ...(first
      ? [
          `${failed.length} rule item${failed.length === 1 ? '' : 's'} failed to load (first: ${first.namespace ? `${first.namespace}/` : ''}${first.ruleCR} ${first.item}: ${first.messages[0] ?? 'error'})`,
        ]
      : []),
    ...settingsErrors.map((error) => error.reason),
  ];
  return { state: 'degraded', reason: `${reasons.join('; ')}; see the Rules page`, detail };
}

/** Playground events given in the request, in either wire shape; a bad one is a 422 naming `events[i].field`. */
function normaliseGivenEvents(events: Array<Record<string, unknown>>): AuditEvent[] {
  const kubernetes = events.some((event) => String(event.apiVersion ?? '').startsWith('audit.k8s.io/'));
  try {
    const batch = kubernetes ? { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: events } : { Items: events };
    return normaliseBatch(batch).events;
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    const field = error.field?.replace(/^(items|Items)/, 'events');
    const message = error.field ? error.message.slice(error.field.length + 2) : error.message;
    throw new StatusError(
      invalidStatusFromCauses('Request', 'request body', [
        { reason: 'FieldValueInvalid', message, ...(field ? { field } : {}) },
      ]),
    );
  }
}

export function rulesRoutes(options: RulesRoutesOptions) {
  const archive = (): EventStore => {
    if (options.eventStore) return options.eventStore;
    throw new StatusError(
      failureStatus(
        503,
        'ServiceUnavailable',
        'The event archive is not open, so there are no recent events to test against; give events in the request, or see /api/healthz.',
      ),
    );
  };

  /** The latest archived events the user may see, newest first. */
  async function recentEvents(c: Context<AuthenticatedEnv>, sample: PlaygroundRequest['sample']) {
    const scope = toArchiveScope(await options.scopes.resolve(c.var.userKube));
    const filter = toArchiveFilter({ start: undefined, end: undefined, ...sample.filter });
    const result = await archive().query({ ...filter, from: 0, size: sample.size, sort: 'desc' }, scope);
    return result.records.map((record) => record.event);
  }

  /** The other Rule CRs a tested Rule's `${cr.item}` references may name; none if the user may not list them. */
  async function clusterRules(c: Context<AuthenticatedEnv>): Promise<{ rules: RuleCR[]; note?: string }> {
    try {
      const { objects, note } = await readableRules(c, undefined);
      return { rules: objects, ...(note ? { note: `${note}, so only their items can be referenced` } : {}) };
    } catch (error) {
      if (!hasCode(error, 403)) throw error;
      return { rules: [], note: 'you may not list Rule CRs, so references to other Rules do not resolve' };
    }
  }

  /**
   * The Rule CRs the user may list: all of them, or, when RBAC refuses that, those of each namespace of the
   * user's scope where it allows it (a project admin reads their project's Rules). Refused everywhere → the
   * cluster's 403.
   */
  async function readableRules(
    c: Context<AuthenticatedEnv>,
    namespace: string | undefined,
  ): Promise<{ objects: RuleObject[]; note?: string }> {
    const kubeConfig = c.var.userKube.kubeConfig;
    try {
      return { objects: await listRuleObjects(kubeConfig, namespace) };
    } catch (error) {
      if (namespace !== undefined || !hasCode(error, 403)) throw error;
      const names = scopeNamespaceNames(await options.scopes.resolve(c.var.userKube));
      if (names === 'all') throw error;
      const lists = await Promise.all(
        names.map((name) =>
          listRuleObjects(kubeConfig, name).then(
            (objects) => ({ name, objects }),
            (failure: unknown) => {
              if (hasCode(failure, 403)) return undefined;
              throw failure;
            },
          ),
        ),
      );
      const readable = lists.filter((list) => list !== undefined);
      if (readable.length === 0) throw error;
      return {
        objects: readable.flatMap((list) => list.objects),
        note: `you may list Rule CRs only in ${readable.map((list) => list.name).join(', ')}`,
      };
    }
  }

  return new Hono<AuthenticatedEnv>()
    .get('/', validate('query', listQuery), async (c) => {
      const { namespace } = c.req.valid('query');
      const kubeConfig = c.var.userKube.kubeConfig;
      const { objects, note: listNote } = await readableRules(c, namespace);
      const receiverStatus = options.ruleStatus?.();
      const webhook = await readWebhookSpec(kubeConfig);
      let status: RuleStatus;
      let note = listNote;
      if (receiverStatus) {
        status = receiverStatus;
      } else {
        // No receiver here: load the rules the user reads with the Webhook they read, as the receiver would.
        note = [note, webhook.note].filter(Boolean).join('; ') || undefined;
        status = buildReceiverConfig({ webhookSpec: webhook.spec, ruleCRs: objects }).status;
      }
      const view: RulesView = {
        load: {
          origin: receiverStatus ? 'receiver' : 'computed',
          loadedAt: status.loadedAt,
          settings: status.settings,
          problems: [...status.errors, ...status.warnings]
            .filter((problem) => !problem.ruleCR)
            .map((problem) => problem.reason),
          ...(note ? { note } : {}),
        },
        rules: ruleViews(objects, status, webhook.spec),
      };
      return c.json(view, 200);
    })
    .post('/test', validate('json', playgroundRequest), async (c) => {
      const request = c.req.valid('json');
      const fromRequest = request.events !== undefined;
      const events = fromRequest ? normaliseGivenEvents(request.events ?? []) : await recentEvents(c, request.sample);
      let evaluated: Omit<PlaygroundResponse, 'events'>;
      if (request.rule) {
        const kubeConfig = c.var.userKube.kubeConfig;
        const [others, settings] = await Promise.all([
          request.withClusterRules
            ? clusterRules(c)
            : Promise.resolve<{ rules: RuleCR[]; note?: string }>({ rules: [] }),
          ruleSettings(kubeConfig, options.ruleStatus?.()),
        ]);
        evaluated = evaluateRule(request.rule, others.rules, settings.settings, events);
        const notes = [others.note, settings.note].filter((note): note is string => note !== undefined);
        evaluated.warnings.push(...notes.map((reason) => ({ reason })));
      } else {
        evaluated = evaluateCondition(request.condition ?? '', events);
      }
      const response: PlaygroundResponse = {
        ...evaluated,
        events: { origin: fromRequest ? 'request' : 'archive', count: events.length },
      };
      return c.json(response, 200);
    });
}
