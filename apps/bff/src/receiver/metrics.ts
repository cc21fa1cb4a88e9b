import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The receiver's Prometheus metrics, on a registry of its own: several receivers can live in one process
 * (tests, the benchmark), and the BFF can expose this registry on the console listener as well as on the
 * receiver's `/metrics`. Names are `auditorium_*`; label values come from small closed sets (event
 * sources, drop reasons, Status reasons, receiver names from the Webhook CR), never from event content.
 */

/** Why a received event was not archived. */
export const dropReasons = ['k8s-auditing-disabled', 'not-selected-by-rules', 'duplicate'] as const;
export type DropReason = (typeof dropReasons)[number];

export interface ReceiverMetrics {
  registry: Registry;
  eventsReceived: Counter<'source'>;
  eventsArchived: Counter<'source'>;
  eventsAlerted: Counter<'source'>;
  eventsDropped: Counter<'reason'>;
  /** Whole requests answered with an error, by the `reason` of their Status body. */
  requestsRejected: Counter<'reason'>;
  batchDuration: Histogram<'source'>;
  archiveQueueDepth: Gauge;
  ruleLoadErrors: Gauge;
  configReloads: Counter;
  alertsSent: Counter<'receiver'>;
  alertFailures: Counter<'receiver'>;
  alertsDropped: Counter<'receiver' | 'reason'>;
  alertQueueDepth: Gauge<'receiver'>;
  liveEventsDropped: Counter;
  eventsPruned: Counter;
}

export interface MetricsOptions {
  /** Reads the archive's commit backlog when Prometheus scrapes. */
  archiveQueueDepth: () => number;
  /** Add Node's process metrics (CPU, heap, event-loop lag) when this registry is the only one scraped. */
  processMetrics?: boolean;
}

export function createReceiverMetrics(options: MetricsOptions): ReceiverMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    eventsReceived: new Counter({
      name: 'auditorium_events_received_total',
      help: 'Audit events accepted at intake, by sender (kubernetes: kube-apiserver, kubesphere: ks-apiserver)',
      labelNames: ['source'],
      registers,
    }),
    eventsArchived: new Counter({
      name: 'auditorium_events_archived_total',
      help: 'Audit events durably stored in the archive',
      labelNames: ['source'],
      registers,
    }),
    eventsAlerted: new Counter({
      name: 'auditorium_events_alerted_total',
      help: 'Audit events that matched at least one alerting rule above alertingPriority',
      labelNames: ['source'],
      registers,
    }),
    eventsDropped: new Counter({
      name: 'auditorium_events_dropped_total',
      help: 'Received audit events that were not archived, by reason',
      labelNames: ['reason'],
      registers,
    }),
    requestsRejected: new Counter({
      name: 'auditorium_receiver_requests_rejected_total',
      help: 'Intake requests answered with an error, by Status reason (BadRequest, Invalid, TooManyRequests, ...)',
      labelNames: ['reason'],
      registers,
    }),
    batchDuration: new Histogram({
      name: 'auditorium_receiver_batch_duration_seconds',
      help: 'Time from the start of an intake request to its acknowledgement (after the durable commit)',
      labelNames: ['source'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    archiveQueueDepth: new Gauge({
      name: 'auditorium_archive_queue_depth',
      help: 'Events handed to the archive and not yet committed',
      registers,
      collect() {
        this.set(options.archiveQueueDepth());
      },
    }),
    ruleLoadErrors: new Gauge({
      name: 'auditorium_rule_load_errors',
      help: 'Rule items that failed to load in the current configuration (bad condition, unknown reference)',
      registers,
    }),
    configReloads: new Counter({
      name: 'auditorium_receiver_config_reloads_total',
      help: 'Times the Webhook settings and Rule CRs were reloaded',
      registers,
    }),
    alertsSent: new Counter({
      name: 'auditorium_alerts_sent_total',
      help: 'Alerts delivered to a receiver of the Webhook CR',
      labelNames: ['receiver'],
      registers,
    }),
    alertFailures: new Counter({
      name: 'auditorium_alert_failures_total',
      help: 'Failed alert delivery attempts (each retry counts)',
      labelNames: ['receiver'],
      registers,
    }),
    alertsDropped: new Counter({
      name: 'auditorium_alerts_dropped_total',
      help: 'Alerts given up on: the queue was full or every retry failed',
      labelNames: ['receiver', 'reason'],
      registers,
    }),
    alertQueueDepth: new Gauge({
      name: 'auditorium_alert_queue_depth',
      help: 'Alerts waiting to be delivered',
      labelNames: ['receiver'],
      registers,
    }),
    liveEventsDropped: new Counter({
      name: 'auditorium_live_events_dropped_total',
      help: 'Events a slow live subscriber missed because its buffer was full',
      registers,
    }),
    eventsPruned: new Counter({
      name: 'auditorium_archive_pruned_total',
      help: 'Archived events deleted because they were older than the retention period',
      registers,
    }),
  };
}
