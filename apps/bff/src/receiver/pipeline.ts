import type { ArchivedRecord, EventStore } from '@auditorium/archive';
import { archiveLine, type NormalisedBatch, type StatusReason } from '@auditorium/audit-model';
import { matchEvent } from '@auditorium/rule-engine';
import type { AlertDispatcher } from './alerts/alert-dispatcher.ts';
import { auditingAlert, type PostableAlert } from './alerts/postable-alert.ts';
import type { ConfigSource } from './config-source.ts';
import type { LiveBus, LiveEvent } from './live-bus.ts';
import type { DropReason, ReceiverMetrics } from './metrics.ts';
import type { BatchOutcome, StatsRecorder } from './receiver-stats.ts';

/**
 * What happens to a normalised batch: rules decide per event (archive, alert, or neither), the archived
 * events are appended to the store and the call resolves only after that commit, then, and only then,
 * the archive lines are printed, the live bus sees every event with what was done to it, and the alerts
 * are queued. Publishing after the commit means the live view never calls an event archived that a crash
 * could still lose, and a batch whose commit failed (and which the sender will retry) raises no alert.
 */
export interface Admission {
  code: 429 | 503;
  reason: StatusReason;
  message: string;
  retryAfterSeconds: number;
}

export interface Pipeline {
  /** Why no batch can be taken right now, checked before the body is read; undefined when one can. */
  admission(): Admission | undefined;
  /** Resolves once the batch's archived events are durably committed. */
  process(batch: NormalisedBatch): Promise<BatchOutcome>;
  /** The last archive commit failure, until a later commit succeeds. */
  archiveError(): { message: string; at: string } | undefined;
}

export interface PipelineOptions {
  store: EventStore;
  config: ConfigSource;
  liveBus: LiveBus;
  alerts: AlertDispatcher;
  metrics: ReceiverMetrics;
  stats: StatsRecorder;
  /** Above this many uncommitted events the receiver answers 429 instead of queueing more in memory. */
  maxPendingEvents: number;
  /** Receives KubeSphere's archive lines (reference §5.4), newline-terminated, one write per batch. */
  writeArchiveLines?: (text: string) => void;
}

export function createPipeline(options: PipelineOptions): Pipeline {
  const { store, config, liveBus, alerts, metrics, stats, maxPendingEvents, writeArchiveLines } = options;
  let archiveError: { message: string; at: string } | undefined;

  const append = async (records: ArchivedRecord[]) => {
    if (records.length === 0) return { stored: 0, duplicates: 0 };
    try {
      const result = await store.append(records);
      archiveError = undefined;
      return result;
    } catch (error) {
      archiveError = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
      throw error;
    }
  };

  return {
    archiveError: () => archiveError,
    admission() {
      if (!config.current()) {
        return {
          code: 503,
          reason: 'ServiceUnavailable',
          message: `the receiver has not loaded its configuration yet (${config.health().reason ?? 'starting'}); retry shortly`,
          retryAfterSeconds: 1,
        };
      }
      const pending = store.pendingEvents();
      if (pending >= maxPendingEvents) {
        return {
          code: 429,
          reason: 'TooManyRequests',
          message: `the archive is ${pending} events behind (limit ${maxPendingEvents}); retry shortly`,
          retryAfterSeconds: 1,
        };
      }
      return undefined;
    },

    async process(batch) {
      const current = config.current();
      if (!current) throw new Error('the receiver configuration is not loaded');
      const { source, events } = batch;
      const live: LiveEvent[] = new Array(events.length);
      const records: ArchivedRecord[] = [];
      const raised: PostableAlert[] = [];
      const dropped: Partial<Record<DropReason, number>> = {};
      let alertedEvents = 0;

      // KubeSphere's switch for kube-apiserver events (reference §5.3, suggested behaviour): they are
      // acknowledged, so kube-apiserver does not retry them, but neither archived nor alerted.
      const kubernetesOff = source === 'kubernetes' && !current.settings.k8sAuditingEnabled;
      for (let index = 0; index < events.length; index++) {
        const event = events[index]!;
        if (kubernetesOff) {
          live[index] = {
            event,
            archived: false,
            alerted: false,
            matchedRules: [],
            dropReason: 'k8s-auditing-disabled',
          };
          continue;
        }
        const match = matchEvent(current.rules, event);
        const matchedRules = match.matched;
        const alerted = match.alerts.length > 0;
        if (alerted) {
          alertedEvents += 1;
          for (const alert of match.alerts) raised.push(auditingAlert(event, alert.rule.name, alert.message));
        }
        if (match.archive) {
          records.push({ event, matchedRules, alerted });
          live[index] = { event, archived: true, alerted, matchedRules };
        } else {
          live[index] = { event, archived: false, alerted, matchedRules, dropReason: 'not-selected-by-rules' };
        }
      }
      if (kubernetesOff) dropped['k8s-auditing-disabled'] = events.length;
      const notSelected = kubernetesOff ? 0 : events.length - records.length;
      if (notSelected > 0) dropped['not-selected-by-rules'] = notSelected;

      const appended = await append(records);
      // Retried batches come back whole; the store keeps the first copy of each (AuditID, Stage).
      if (appended.duplicates > 0) dropped.duplicate = appended.duplicates;

      if (writeArchiveLines && records.length > 0) {
        let text = '';
        for (const record of records) text += `${archiveLine(record.event)}\n`;
        writeArchiveLines(text);
      }
      liveBus.publish(live);
      alerts.dispatch(raised);

      const outcome: BatchOutcome = {
        source,
        received: events.length,
        archived: appended.stored,
        alerted: alertedEvents,
        dropped,
      };
      metrics.eventsReceived.inc({ source }, events.length);
      if (appended.stored > 0) metrics.eventsArchived.inc({ source }, appended.stored);
      if (alertedEvents > 0) metrics.eventsAlerted.inc({ source }, alertedEvents);
      for (const [reason, count] of Object.entries(dropped)) if (count) metrics.eventsDropped.inc({ reason }, count);
      stats.recordBatch(outcome);
      return outcome;
    },
  };
}
