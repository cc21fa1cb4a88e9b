import { Worker } from 'node:worker_threads';
import type { ReadyMessage, ReplyEnvelope, RequestEnvelope } from './sqlite-worker-protocol.ts';

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Request/response over one worker thread: each call gets a promise settled by the reply with its id.
 * The worker is unref'd while nothing is outstanding, so an idle store does not keep the process alive,
 * and ref'd while a call is, so the process does not exit under a pending append.
 */
export class WorkerChannel<Request extends { op: string }, Replies extends { [Op in Request['op']]: unknown }> {
  readonly #worker: Worker;
  readonly #waiters = new Map<number, Waiter>();
  readonly #ready: Promise<void>;
  readonly #exited: Promise<void>;
  #nextId = 1;
  #failure: Error | undefined;

  constructor(script: URL, workerData: unknown, name: string) {
    this.#worker = new Worker(script, { workerData, name });
    this.#worker.unref();
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#worker.once('message', (message: ReadyMessage) => {
        if (message.ready) {
          this.#worker.on('message', (reply: ReplyEnvelope) => this.#settle(reply));
          resolve();
        } else {
          this.#fail(asError(message.error, `${name} could not open the archive`));
          reject(this.#failure);
        }
      });
    });
    // A failed open is reported through the first call too; keep it from also being an unhandled rejection.
    this.#ready.catch(() => {});
    this.#exited = new Promise<void>((resolve) => {
      this.#worker.once('exit', (code) => {
        this.#fail(new Error(`${name} exited (code ${code})`));
        resolve();
      });
    });
    this.#worker.on('error', (error) => this.#fail(asError(error, `${name} failed`)));
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  async call<R extends Request>(request: R): Promise<Replies[R['op']]> {
    await this.#ready;
    if (this.#failure !== undefined) throw this.#failure;
    const id = this.#nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.#waiters.set(id, { resolve, reject }));
    if (this.#waiters.size === 1) this.#worker.ref();
    this.#worker.postMessage({ id, request } satisfies RequestEnvelope<R>);
    return reply as Promise<Replies[R['op']]>;
  }

  /** Asks the worker to close its connection and waits for the thread to end. */
  async close(closeRequest: Request): Promise<void> {
    if (this.#failure === undefined) {
      try {
        await this.call(closeRequest);
      } catch {
        // Already failed: nothing left to close cleanly.
      }
    }
    // Ends the thread if the close request could not be delivered (a failed open, a crashed connection).
    await this.#worker.terminate();
    await this.#exited;
  }

  #settle(reply: ReplyEnvelope): void {
    const waiter = this.#waiters.get(reply.id);
    if (waiter === undefined) return;
    this.#waiters.delete(reply.id);
    if (this.#waiters.size === 0) this.#worker.unref();
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(reply.error);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters.values()) waiter.reject(this.#failure);
    this.#waiters.clear();
  }
}

function asError(value: unknown, context: string): Error {
  return value instanceof Error ? value : new Error(`${context}: ${String(value)}`);
}
