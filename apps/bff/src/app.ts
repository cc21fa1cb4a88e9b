import type { EventStore } from '@auditorium/archive';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { consoleAssets } from './console-assets.ts';
import { notFoundStatus, statusErrorHandler } from './errors.ts';
import type { HealthGroup, HealthProbe } from './health.ts';
import type { ClusterAccess } from './kube/cluster-access.ts';
import { requestBodyLimit } from './middleware/body-limit.ts';
import { identity } from './middleware/identity.ts';
import { createLogger, reportErrors, requestLogger } from './middleware/logger.ts';
import { originCheck } from './middleware/origin-check.ts';
import type { RateLimitOptions } from './middleware/rate-limit.ts';
import type { RuleStatus } from './receiver/config-source.ts';
import { crdRoutes } from './routes/crds.ts';
import { type EventRoutesOptions, eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { kubeSphereQueryRoutes } from './routes/kapis.ts';
import { kubesphereConfigRoutes } from './routes/kubesphere-config.ts';
import { meRoutes } from './routes/me.ts';
import { overviewRoutes, type PipelineStatsSource } from './routes/overview.ts';
import { rulesRoutes } from './routes/rules.ts';
import { sessionRoutes } from './routes/session.ts';
import { setupRoutes } from './routes/setup.ts';
import { webhookRoutes } from './routes/webhook.ts';
import { kubeNamespaceCatalogue } from './scope/namespace-catalogue.ts';
import { ScopeResolver } from './scope/scope-resolver.ts';
import { securityHeaders } from './security-headers.ts';
import type { SecureCookies } from './session/session-cookie.ts';
import { MemorySessionStore, type SessionStore } from './session/session-store.ts';
import type { SignInCodes } from './session/sign-in-link.ts';
import type { TrafficSource } from './setup/traffic-estimate.ts';
import type { LiveJournal } from './stream/live-journal.ts';

export interface AppOptions {
  version: string;
  /** The built console (apps/console/dist). */
  consoleDir: string;
  probes: Record<string, HealthProbe>;
  /** Components reported in groups: the control plane's own processes, when something publishes them. */
  healthGroups?: HealthGroup[];
  /** How users reach the cluster (KUBECONFIG or in-cluster config); unavailable → every API call is a 503. */
  cluster?: ClusterAccess;
  /** Where sessions live; in memory by default. */
  sessions?: SessionStore;
  /** Local mode: codes of the printed sign-in links. */
  signInCodes?: SignInCodes;
  onSignInLinkUsed?: () => void;
  /** Secure cookie flag: 'auto' sets it when the request came over HTTPS. */
  secureCookies?: SecureCookies;
  /** Origins besides the console's own allowed to make state-changing requests. */
  allowedOrigins?: string[];
  signInRateLimit?: RateLimitOptions;
  bodyLimitBytes?: number;
  logger?: Logger;
  /** Recent request counts from the archive, for the setup page's events/day estimate. */
  traffic?: TrafficSource;
  /** RECEIVER_CA_FILE: the receiver's CA for the generated audit webhook kubeconfig. */
  receiverCaFile?: string;
  /** What each user may see of the audit trail; one instance shared by every route that scopes. */
  scopes?: ScopeResolver;
  /** The archive the receiver writes; search, export and the KubeSphere query API read it. */
  eventStore?: EventStore;
  /** The numbered live feed of the receiver's events, for the SSE stream. */
  journal?: LiveJournal;
  /** The stream's timings (heartbeat, how often a viewer's rights are re-read); defaults in event-stream.ts. */
  eventStream?: EventRoutesOptions['stream'];
  /** The receiver's counters for the Overview; unset when the receiver is not running. */
  pipelineStats?: PipelineStatsSource;
  /** The receiver's rule load status, for the Rules page; unset when the receiver is not running here. */
  ruleStatus?: () => RuleStatus | undefined;
  /** `/kapis/clusters/{name}/…` answers only to this name when set (kapis.ts). */
  clusterName?: string;
}

const noCluster: ClusterAccess = { mode: 'unavailable', reason: 'no cluster is configured' };

/**
 * The API. Public routes first; everything after `identity` acts as the signed-in user
 * (`c.var.userKube`, kube/user-kube.ts). Add a resource with one `.route()` line in the right half.
 */
function apiRoutes(options: AppOptions, sessions: SessionStore, scopes: ScopeResolver) {
  const cluster = options.cluster ?? noCluster;
  return (
    new Hono()
      .route('/', healthRoutes(options.version, options.probes, options.healthGroups))
      .route(
        '/session',
        sessionRoutes({
          cluster,
          sessions,
          sessionMaxAgeMs: sessions.lifetime.absoluteMs,
          secureCookies: options.secureCookies ?? 'auto',
          signInCodes: options.signInCodes,
          onSignInLinkUsed: options.onSignInLinkUsed,
          signInRateLimit: options.signInRateLimit,
        }),
      )
      // Everything below requires a signed-in user and calls Kubernetes as that user.
      .use(identity({ cluster, sessions }))
      .route('/me', meRoutes({ scopes }))
      .route('/webhook', webhookRoutes())
      .route('/kubesphere-config', kubesphereConfigRoutes())
      .route('/setup', setupRoutes({ traffic: options.traffic, receiverCaFile: options.receiverCaFile }))
      .route('/crds', crdRoutes())
      .route(
        '/',
        eventRoutes({ scopes, eventStore: options.eventStore, journal: options.journal, stream: options.eventStream }),
      )
      .route('/overview', overviewRoutes({ stats: options.pipelineStats }))
      .route('/rules', rulesRoutes({ scopes, eventStore: options.eventStore, ruleStatus: options.ruleStatus }))
  );
}

export type { Status, WebhookProblem } from '@auditorium/audit-model';
export type { ComponentHealth, HealthReport } from './health.ts';
export type { ConflictBody, KubeObject } from './kube/kube-object.ts';
export type { Me } from './routes/me.ts';
export type { RuleItemView, RulesView, RuleView } from './routes/rules.ts';
export type { PlaygroundResponse, PlaygroundResult, SyntaxProblem } from './routes/rules-playground.ts';
export type AppType = ReturnType<typeof apiRoutes>;

/**
 * The console listener's app: API under /api, the console everywhere else. Opens no port (see main.ts).
 * Middleware order: log, security headers, CSRF (Origin) check and body limit on the API, then routes;
 * one error handler turns every failure into a Kubernetes Status.
 */
export function createApp(options: AppOptions) {
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const sessions = options.sessions ?? new MemorySessionStore();
  const cluster = options.cluster ?? noCluster;
  const scopes =
    options.scopes ??
    new ScopeResolver(
      cluster.mode === 'unavailable' ? {} : { namespaceCatalogue: kubeNamespaceCatalogue(cluster.serverKubeConfig) },
    );
  // KubeSphere's own query API, for KubeSphere's console and scripts written against ks-apiserver.
  const kapis = new Hono()
    .use(identity({ cluster, sessions }))
    .route('/', kubeSphereQueryRoutes({ scopes, eventStore: options.eventStore, clusterName: options.clusterName }));
  return new Hono()
    .use(requestLogger(logger))
    .use(securityHeaders())
    .use('/api/*', originCheck({ allowedOrigins: options.allowedOrigins }))
    .use('/api/*', requestBodyLimit(options.bodyLimitBytes))
    .use('/kapis/*', originCheck({ allowedOrigins: options.allowedOrigins }))
    .route('/api', apiRoutes(options, sessions, scopes))
    .all('/api/*', notFoundStatus)
    .route('/kapis', kapis)
    .all('/kapis/*', notFoundStatus)
    .route('/', consoleAssets(options.consoleDir))
    .onError(statusErrorHandler(reportErrors(logger)));
}
