import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { StatusReason } from '@auditorium/audit-model';

/**
 * Reads an intake body under a size limit that holds three ways: the declared Content-Length, the bytes
 * actually streamed (a chunked body declares nothing), and the size after gzip (a few KiB of gzip can
 * expand to gigabytes). Memory per request is therefore bounded by the limit, whatever the sender does.
 */
export class BodyError extends Error {
  readonly status: 400 | 413 | 415;
  readonly reason: StatusReason;
  constructor(status: 400 | 413 | 415, reason: StatusReason, message: string) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
    this.reason = reason;
  }
}

const tooLarge = (what: string, maxBytes: number) =>
  new BodyError(
    413,
    'RequestEntityTooLarge',
    `${what} exceeds the receiver's limit of ${maxBytes} bytes; send smaller batches (kube-apiserver: --audit-webhook-batch-max-size, --audit-webhook-truncate-enabled) or raise RECEIVER_MAX_BODY_BYTES`,
  );

/** Rejects before a byte is read when the sender announces a body over the limit. */
export function checkDeclaredLength(contentLength: string | undefined, maxBytes: number): void {
  if (contentLength === undefined) return;
  const declared = Number(contentLength);
  if (Number.isFinite(declared) && declared > maxBytes)
    throw tooLarge(`the declared body (${declared} bytes)`, maxBytes);
}

/**
 * Collects the body. On overflow it stops reading (pauses, does not destroy), so the caller can still
 * answer 413; the caller should close the connection, since the rest of the body is left unread.
 */
export function readBody(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        stream.pause();
        reject(tooLarge('the body', maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new BodyError(400, 'BadRequest', `could not read the request body: ${error.message}`));
    };
    const onClose = () => {
      if (stream.readableEnded) return;
      cleanup();
      reject(new BodyError(400, 'BadRequest', 'the sender closed the connection before the body was complete'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/**
 * Undoes Content-Encoding. Decompression runs on libuv's thread pool (not the event loop) and stops at
 * `maxBytes` of output, which is what defeats a gzip bomb.
 */
export async function decodeContent(
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip' ? gunzipAsync : encoding === 'deflate' ? inflateAsync : undefined;
  if (!decoder) {
    throw new BodyError(
      415,
      'UnsupportedMediaType',
      `Content-Encoding ${JSON.stringify(contentEncoding)} is not supported; send identity, gzip or deflate`,
    );
  }
  try {
    return await decoder(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(`the ${encoding}-decompressed body`, maxBytes);
    }
    throw new BodyError(400, 'BadRequest', `the body is not valid ${encoding} data: ${(error as Error).message}`);
  }
}
