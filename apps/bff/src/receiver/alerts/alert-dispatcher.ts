import { setTimeout as sleep } from 'node:timers/promises';
import type { Receiver, ReceiverType } from '@auditorium/audit-model';
import type { ReceiverMetrics } from '../metrics.ts';
import type { AlertClient } from './alert-client.ts';
import { alertmanagerClient } from './alertmanager-client.ts';
import type { PostableAlert } from './postable-alert.ts';
import { webhookClient } from './webhook-client.ts';

/**
 * Delivers alerts to every receiver of the Webhook CR without holding up intake: `dispatch` only queues.
 * Each receiver has its own bounded queue and worker, so a dead webhook does not delay Alertmanager. A
 * worker sends up to `maxBatch` alerts per request and retries a failed request with exponential backoff
 * and jitter; after `maxAttempts` it gives the batch up. Every failed attempt and every dropped alert is
 * counted, and the last error of each receiver is kept for the console.
 */
export interface ReceiverDeliveryStatus {
  name: string;
  type: ReceiverType;
  endpoint: string;
  /** ok: last attempt succeeded (or none yet); retrying: a batch is between attempts; failing: the last batch was given up. */
  state: 'ok' | 'retrying' | 'failing';
  queued: number;
  sent: number;
  failedAttempts: number;
  dropped: number;
  lastError?: { message: string; at: string };
  lastSuccessAt?: string;
}

export interface AlertDispatcher {
  /** Replaces the receiver set (after a Webhook CR edit); unchanged receivers keep their queue and counters. */
  setReceivers(receivers: Receiver[]): void;
  dispatch(alerts: PostableAlert[]): void;
  receiverStatus(): ReceiverDeliveryStatus[];
  /** Resolves when every queue is empty and no request is in flight, or after `timeoutMs`. */
  drain(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface AlertDispatcherOptions {
  metrics: ReceiverMetrics;
  /** Alerts queued per receiver before new ones are dropped. */
  queueLimit?: number;
  maxBatch?: number;
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  clientFor?: (receiver: Receiver) => AlertClient;
  onError?: (message: string) => void;
}

export function defaultClientFor(receiver: Receiver): AlertClient {
  return receiver.type === 'alertmanager' ? alertmanagerClient(receiver) : webhookClient(receiver);
}

class ReceiverLane {
  readonly key: string;
  readonly status: ReceiverDeliveryStatus;
  private readonly queue: PostableAlert[] = [];
  private worker: Promise<void> | undefined;
  private readonly stop = new AbortController();
  private readonly client: AlertClient;
  private readonly options: Required<Omit<AlertDispatcherOptions, 'clientFor' | 'onError'>> &
    Pick<AlertDispatcherOptions, 'onError'>;

  constructor(receiver: Receiver, key: string, client: AlertClient, options: ReceiverLane['options']) {
    this.key = key;
    this.client = client;
    this.options = options;
    this.status = {
      name: receiver.name,
      type: receiver.type,
      endpoint: client.endpoint,
      state: 'ok',
      queued: 0,
      sent: 0,
      failedAttempts: 0,
      dropped: 0,
    };
  }

  private get labels() {
    return { receiver: this.status.name };
  }

  private setQueued(): void {
    this.status.queued = this.queue.length;
    this.options.metrics.alertQueueDepth.set(this.labels, this.queue.length);
  }

  private drop(count: number, reason: string): void {
    this.status.dropped += count;
    this.options.metrics.alertsDropped.inc({ ...this.labels, reason }, count);
  }

  enqueue(alerts: PostableAlert[]): void {
    const room = this.options.queueLimit - this.queue.length;
    const accepted = alerts.length <= room ? alerts : alerts.slice(0, Math.max(0, room));
    if (accepted.length < alerts.length) this.drop(alerts.length - accepted.length, 'queue-full');
    for (const alert of accepted) this.queue.push(alert);
    this.setQueued();
    this.kick();
  }

  private kick(): void {
    if (this.worker || this.stop.signal.aborted) return;
    this.worker = this.run().finally(() => {
      this.worker = undefined;
      // Alerts queued between the loop's last check and now would otherwise wait for the next dispatch.
      if (this.queue.length > 0) this.kick();
    });
  }

  idle(): boolean {
    return this.queue.length === 0 && this.worker === undefined;
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.options.initialBackoffMs * 2 ** (attempt - 1), this.options.maxBackoffMs);
    return base * (1 + Math.random() * 0.2);
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.stop.signal.aborted) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.setQueued();
      for (let attempt = 1; ; attempt++) {
        try {
          await this.client.send(batch);
          this.status.sent += batch.length;
          this.status.state = 'ok';
          this.status.lastSuccessAt = new Date().toISOString();
          this.options.metrics.alertsSent.inc(this.labels, batch.length);
          break;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.status.failedAttempts += 1;
          this.status.lastError = { message, at: new Date().toISOString() };
          this.options.metrics.alertFailures.inc(this.labels);
          if (attempt >= this.options.maxAttempts || this.stop.signal.aborted) {
            this.status.state = 'failing';
            this.drop(batch.length, this.stop.signal.aborted ? 'shutdown' : 'retries-exhausted');
            this.options.onError?.(
              `alert receiver ${this.status.name}: gave up ${batch.length} alert(s) after ${attempt} attempt(s): ${message}`,
            );
            break;
          }
          this.status.state = 'retrying';
          try {
            await sleep(this.backoff(attempt), undefined, { signal: this.stop.signal });
          } catch {
            // Closed while waiting: the next loop turn gives the batch up.
          }
        }
      }
    }
  }

  async close(reason: string): Promise<void> {
    this.stop.abort();
    if (this.queue.length > 0) this.drop(this.queue.length, reason);
    this.queue.length = 0;
    this.setQueued();
    await this.worker;
  }
}

function laneKey(receiver: Receiver): string {
  return JSON.stringify([receiver.name, receiver.type, receiver.config]);
}

export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const laneOptions = {
    metrics: options.metrics,
    queueLimit: options.queueLimit ?? 10_000,
    maxBatch: options.maxBatch ?? 100,
    maxAttempts: options.maxAttempts ?? 8,
    initialBackoffMs: options.initialBackoffMs ?? 500,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    onError: options.onError,
  };
  const clientFor = options.clientFor ?? defaultClientFor;
  let lanes: ReceiverLane[] = [];
  let retired: Array<Promise<void>> = [];

  return {
    setReceivers(receivers) {
      const previous = new Map(lanes.map((lane) => [lane.key, lane]));
      const next: ReceiverLane[] = [];
      for (const receiver of receivers) {
        const key = laneKey(receiver);
        const existing = previous.get(key);
        if (existing) {
          previous.delete(key);
          next.push(existing);
          continue;
        }
        try {
          next.push(new ReceiverLane(receiver, key, clientFor(receiver), laneOptions));
        } catch (error) {
          options.onError?.(`alert receiver ${receiver.name}: ${(error as Error).message}`);
        }
      }
      for (const lane of previous.values()) retired.push(lane.close('receiver-removed'));
      lanes = next;
    },
    dispatch(alerts) {
      if (alerts.length === 0) return;
      for (const lane of lanes) lane.enqueue(alerts);
    },
    receiverStatus: () => lanes.map((lane) => ({ ...lane.status })),
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (lanes.every((lane) => lane.idle())) return true;
        await sleep(20);
      }
      return false;
    },
    async close() {
      const closing = [...lanes.map((lane) => lane.close('shutdown')), ...retired];
      lanes = [];
      retired = [];
      await Promise.all(closing);
    },
  };
}
