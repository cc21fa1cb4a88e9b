import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import {
  failureStatus,
  normaliseBatch,
  PayloadError,
  receiverPath,
  type Status,
  type StatusReason,
} from '@auditorium/audit-model';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { StatusError } from '../errors.ts';
import { BodyError, checkDeclaredLength, decodeContent, readBody } from './body-reader.ts';
import { JsonSyntaxError, parseJson } from './json-syntax.ts';
import type { ReceiverMetrics } from './metrics.ts';
import type { Pipeline } from './pipeline.ts';
import type { StatsRecorder } from './receiver-stats.ts';
import type { SenderAuth } from './sender-auth.ts';

/**
 * `POST /audit/webhook/event`: where kube-apiserver and ks-apiserver deliver audit batches. The checks run
 * cheapest first (credentials, content type, back-pressure, declared size) so a bad or unwelcome request
 * costs no body read. The answer is 200 only once the batch is durably archived: kube-apiserver keeps a
 * batch until it gets a 2xx and retries on anything else (reference k8s-audit §3.6), so an early 200
 * would lose events on a crash. Every failure is a Kubernetes `Status` body naming what was wrong.
 *
 * Each request is handled on its own: one sender's malformed or oversized batch fails that request only.
 */
export interface IntakeOptions {
  auth: SenderAuth;
  pipeline: Pipeline;
  maxBodyBytes: number;
  /** The namespace → workspace lookup from the watched namespace cache. */
  workspaceOf?: (namespace: string) => string | undefined;
  metrics: ReceiverMetrics;
  stats: StatsRecorder;
  logger: Logger;
}

type IntakeEnv = { Bindings: Partial<HttpBindings> };

const reject = (code: number, reason: StatusReason, message: string, details?: Status['details']) =>
  new StatusError(failureStatus(code, reason, message, details));

const acceptedTypes = 'application/json (kube-apiserver and ks-apiserver both send it)';

function checkContentType(header: string | undefined): void {
  // Go's audit backends always send application/json; a missing header is let through as JSON, the way
  // KubeSphere's webhook never looked at it.
  if (header === undefined || header.trim() === '') return;
  const [mediaType = '', ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json' && !/^application\/[^/]+\+json$/.test(mediaType)) {
    throw reject(
      415,
      'UnsupportedMediaType',
      `Content-Type ${JSON.stringify(header)} is not supported; send ${acceptedTypes}`,
    );
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length);
  if (charset && charset.replaceAll('"', '') !== 'utf-8' && charset.replaceAll('"', '') !== 'utf8') {
    throw reject(415, 'UnsupportedMediaType', `charset ${charset} is not supported; JSON bodies must be UTF-8`);
  }
}

function bodyStream(c: Context<IntakeEnv>): Readable {
  // Read from Node's request directly when served by @hono/node-server: exact byte counts, and on overflow
  // the stream can be paused rather than destroyed, so the 413 still reaches the sender.
  const incoming = c.env?.incoming;
  if (incoming) return incoming as Readable;
  const body = c.req.raw.body;
  return body ? Readable.fromWeb(body as import('node:stream/web').ReadableStream) : Readable.from([]);
}

export function intakeRoutes(options: IntakeOptions) {
  const { auth, pipeline, maxBodyBytes, metrics, stats, logger } = options;

  const refuse = (c: Context<IntakeEnv>, rejection: StatusError, remote: string | undefined) => {
    const { status } = rejection;
    metrics.requestsRejected.inc({ reason: status.reason });
    stats.recordRejection(status.reason);
    // 4xx are the sender's problem and can arrive at batch rate; keep them at debug except the ones an
    // operator must act on (credentials, size).
    const level = status.code === 401 || status.code === 403 || status.code === 413 ? 'warn' : 'debug';
    logger[level]({ code: status.code, reason: status.reason, remote }, status.message);
    for (const [name, value] of Object.entries(rejection.headers)) c.header(name, value);
    return c.json(status, status.code as ContentfulStatusCode);
  };

  return new Hono<IntakeEnv>().post(receiverPath, async (c) => {
    const startedAt = performance.now();
    const socket = c.env?.incoming?.socket as Socket | undefined;
    const remote = socket?.remoteAddress;
    try {
      const verdict = auth.check(c.req.header('authorization'), socket);
      if (!verdict.allowed) {
        const reason = verdict.status === 401 ? 'Unauthorized' : 'Forbidden';
        throw new StatusError(
          failureStatus(verdict.status, reason, verdict.message),
          verdict.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="auditorium-receiver"' } : {},
        );
      }
      checkContentType(c.req.header('content-type'));

      const refusal = pipeline.admission();
      if (refusal) {
        throw new StatusError(
          failureStatus(refusal.code, refusal.reason, refusal.message, {
            retryAfterSeconds: refusal.retryAfterSeconds,
          }),
          { 'Retry-After': String(refusal.retryAfterSeconds) },
        );
      }

      let body: Buffer;
      try {
        checkDeclaredLength(c.req.header('content-length'), maxBodyBytes);
        const raw = await readBody(bodyStream(c), maxBodyBytes);
        body = await decodeContent(raw, c.req.header('content-encoding'), maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyError)) throw error;
        // After a 413 the rest of the body is unread: close the connection rather than drain it.
        throw new StatusError(
          failureStatus(error.status, error.reason, error.message),
          error.status === 413 ? { Connection: 'close' } : {},
        );
      }
      if (body.length === 0) {
        throw reject(
          400,
          'BadRequest',
          'the request body is empty; send an audit.k8s.io/v1 EventList or a KubeSphere {"Items":[…]} batch',
        );
      }

      let batch: ReturnType<typeof normaliseBatch>;
      try {
        const parsed = parseJson(body.toString('utf8'));
        batch = normaliseBatch(parsed, options.workspaceOf ? { workspaceOf: options.workspaceOf } : {});
      } catch (error) {
        if (error instanceof JsonSyntaxError) {
          throw reject(400, 'BadRequest', `the body is not valid JSON: ${error.message}`, {
            causes: [
              { reason: 'InvalidJSON', message: error.message, field: `line ${error.line}, column ${error.column}` },
            ],
          });
        }
        if (error instanceof PayloadError) {
          const reason = error.status === 400 ? 'BadRequest' : 'Invalid';
          throw reject(error.status, reason, `the audit batch is invalid: ${error.message}`, {
            kind: 'EventList',
            causes: [
              {
                reason: 'FieldValueInvalid',
                message: error.field ? error.message.slice(error.field.length + 2) : error.message,
                ...(error.field ? { field: error.field } : {}),
              },
            ],
          });
        }
        throw error;
      }

      await pipeline.process(batch);
      metrics.batchDuration.observe({ source: batch.source }, (performance.now() - startedAt) / 1000);
      return c.body(null, 200);
    } catch (error) {
      if (error instanceof StatusError) return refuse(c, error, remote);
      // The archive failed to commit (disk full, closed): the sender keeps the batch and retries.
      logger.error({ err: error, remote }, 'an audit batch could not be archived');
      return refuse(
        c,
        new StatusError(
          failureStatus(
            503,
            'ServiceUnavailable',
            `the batch could not be archived: ${(error as Error).message}; retry later`,
            {
              retryAfterSeconds: 5,
            },
          ),
          { 'Retry-After': '5' },
        ),
        remote,
      );
    }
  });
}
