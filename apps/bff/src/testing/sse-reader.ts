import type { StreamedEvent } from '../stream/event-stream.ts';

/** Reads a `text/event-stream` response in a test: frames as they arrive, comments, and waiting for enough. */
export interface Frame {
  id?: string;
  event?: string;
  data?: string;
}

/** An open SSE response: frames as they arrive, and a way to wait for enough of them. */
export class SseReader {
  readonly frames: Frame[] = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #comments: string[] = [];

  constructor(response: Response) {
    if (!response.body) throw new Error('the stream response has no body');
    this.#reader = response.body.getReader();
  }

  /** Reads until `done(frames, comments)` holds, or fails after `timeoutMs`. */
  async until(done: (frames: Frame[], comments: string[]) => boolean, timeoutMs = 10_000): Promise<Frame[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.frames, this.#comments)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream timed out; got ${JSON.stringify(this.frames)}`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), left);
        }),
      ]);
      clearTimeout(timer);
      if (chunk === 'timeout') continue;
      if (chunk.done) throw new Error(`stream ended; got ${JSON.stringify(this.frames)}`);
      this.#buffer += this.#decoder.decode(chunk.value, { stream: true });
      let end = this.#buffer.indexOf('\n\n');
      while (end >= 0) {
        this.#parse(this.#buffer.slice(0, end));
        this.#buffer = this.#buffer.slice(end + 2);
        end = this.#buffer.indexOf('\n\n');
      }
    }
    return this.frames;
  }

  #parse(block: string) {
    const frame: Frame = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.#comments.push(line.slice(1).trim());
      const match = /^(id|event|data): ?(.*)$/.exec(line);
      if (match) frame[match[1] as keyof Frame] = match[2];
    }
    if (frame.data !== undefined) this.frames.push(frame);
  }

  /** The streamed events of `events` frames (live or ring replay), in order. */
  events(): StreamedEvent[] {
    return this.frames
      .filter((frame) => frame.event === 'events')
      .flatMap((frame) => JSON.parse(frame.data!) as StreamedEvent[]);
  }

  close() {
    void this.#reader.cancel().catch(() => {});
  }
}
