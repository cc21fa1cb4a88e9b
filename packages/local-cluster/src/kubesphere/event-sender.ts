// ks-apiserver's audit backend (reference §6.4; kubesphere/kubesphere pkg/apiserver/auditing/backend.go): a bounded
// in-memory queue, batches of eventBatchSize events or whatever eventBatchInterval has gathered, at most
// eventSendersNum POSTs in flight, each `{"Items":[…]}` with a 3 s timeout. A failed or refused batch is logged
// and dropped, never retried, as KubeSphere does. One difference: KubeSphere skips TLS verification; the
// stand-in trusts the receiver's CA instead.
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import type { KubeSphereEvent } from './kubesphere-event.ts';

export interface EventSenderOptions {
  url: string;
  /** PEM of the CA the receiver's certificate is signed by (https URLs). */
  caPem?: string;
  batchSize: number;
  batchIntervalMs: number;
  sendersNum: number;
  log: (line: string) => void;
}

const QUEUE_CAPACITY = 10_000;
const SEND_TIMEOUT_MS = 3_000;

export class EventSender {
  readonly options: EventSenderOptions;
  #pending: KubeSphereEvent[] = [];
  #timer: NodeJS.Timeout | null = null;
  #inFlight = new Set<Promise<void>>();
  #agent: Agent;
  #dropped = 0;

  constructor(options: EventSenderOptions) {
    this.options = options;
    this.#agent = new Agent({ keepAlive: true, ca: options.caPem });
  }

  enqueue(event: KubeSphereEvent): void {
    if (this.#pending.length >= QUEUE_CAPACITY) {
      this.#dropped += 1;
      if (this.#dropped % 1000 === 1) this.options.log(`audit queue full: dropped ${this.#dropped} events so far`);
      return;
    }
    this.#pending.push(event);
    if (this.#pending.length >= this.options.batchSize) {
      this.#flush();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flush(), this.options.batchIntervalMs);
    }
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.options.batchSize);
      if (this.#inFlight.size >= this.options.sendersNum) {
        this.options.log(`all ${this.options.sendersNum} senders busy: dropped a batch of ${batch.length} events`);
        continue;
      }
      const sending = this.#send(batch).finally(() => this.#inFlight.delete(sending));
      this.#inFlight.add(sending);
    }
  }

  #send(batch: KubeSphereEvent[]): Promise<void> {
    const body = JSON.stringify({ Items: batch });
    const url = new URL(this.options.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = send(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: SEND_TIMEOUT_MS,
          ...(url.protocol === 'https:' ? { agent: this.#agent } : {}),
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) {
              this.options.log(`the receiver answered ${res.statusCode} to a batch of ${batch.length} events: dropped`);
            }
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${SEND_TIMEOUT_MS / 1000}s`)));
      req.on('error', (error) => {
        this.options.log(`sending ${batch.length} events to ${this.options.url} failed: ${error.message}: dropped`);
        resolve();
      });
      req.end(body);
    });
  }

  /** Sends what is queued and waits for every POST to finish (on shutdown). */
  async drain(): Promise<void> {
    this.#flush();
    await Promise.all(this.#inFlight);
    this.#agent.destroy();
  }
}

/** Go's time.ParseDuration for what kubesphere.yaml holds (`3s`, `500ms`, `1m30s`); null if it is not one. */
export function parseGoDuration(text: string): number | null {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  if (!/^(\d+(?:\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return text === '0' ? 0 : null;
  let total = 0;
  for (const match of text.matchAll(pattern)) total += Number(match[1]) * (units[match[2] ?? 's'] ?? 0);
  return total;
}
