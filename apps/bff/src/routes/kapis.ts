import {
  answerKubeSphereAuditing,
  type EventStore,
  HistogramError,
  parseKubeSphereAuditingParams,
  queryParameterStatus,
} from '@auditorium/archive';
import { failureStatus } from '@auditorium/audit-model';
import { type Context, Hono } from 'hono';
import { StatusError } from '../errors.ts';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import type { ScopeResolver } from '../scope/scope-resolver.ts';
import { toArchiveScope } from '../scope/user-scope.ts';

export interface KubeSphereQueryOptions {
  scopes: ScopeResolver;
  eventStore?: EventStore;
  /**
   * The name this cluster answers to in the multi-cluster form `/kapis/clusters/{cluster}/…`. Unset, any
   * name is this cluster: Auditorium serves one cluster, and KubeSphere's console asks for the host
   * cluster by whatever name it was given (`host` by default). Set, other names are 404.
   */
  clusterName?: string;
}

const eventsPath = '/tenant.kubesphere.io/v1alpha2/auditing/events';

/**
 * ks-apiserver's auditing query API (reference §7), mounted at `/kapis`, so KubeSphere's console and
 * scripts written against it work against Auditorium's archive. Parameters, semantics and response shapes
 * are KubeSphere's (packages/archive: `parseKubeSphereAuditingParams`, `answerKubeSphereAuditing`); the
 * caller authenticates with a Kubernetes bearer token (or the console session) and sees the events of the
 * namespaces where RBAC lets them `list events` (scope/, §7.2). Malformed parameters are a 400 Status
 * naming each parameter, where ks-apiserver answered 500.
 */
export function kubeSphereQueryRoutes(options: KubeSphereQueryOptions) {
  const answer = async (c: Context<AuthenticatedEnv>) => {
    const cluster = c.req.param('cluster');
    if (cluster !== undefined && options.clusterName !== undefined && cluster !== options.clusterName) {
      throw new StatusError(
        failureStatus(
          404,
          'NotFound',
          `cluster "${cluster}" is not served here; this Auditorium serves cluster "${options.clusterName}"`,
        ),
      );
    }
    if (!options.eventStore) {
      throw new StatusError(
        failureStatus(503, 'ServiceUnavailable', 'The event archive is not open; /api/healthz says why.'),
      );
    }
    const parsed = parseKubeSphereAuditingParams(c.req.query());
    if (!parsed.ok) throw new StatusError(queryParameterStatus(parsed.errors));
    const scope = toArchiveScope(await options.scopes.resolve(c.var.userKube));
    try {
      return c.json(await answerKubeSphereAuditing(options.eventStore, parsed.request, scope), 200);
    } catch (error) {
      // Too many buckets for the range: the request's interval is at fault, not the archive.
      if (!(error instanceof HistogramError)) throw error;
      const { interval } = parsed.request;
      throw new StatusError(queryParameterStatus([{ parameter: 'interval', value: interval, message: error.message }]));
    }
  };
  return new Hono<AuthenticatedEnv>().get(eventsPath, answer).get(`/clusters/:cluster${eventsPath}`, answer);
}
