import { type EventStore, HistogramError } from '@auditorium/archive';
import { failureStatus } from '@auditorium/audit-model';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { StatusError } from '../errors.ts';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import { invalidStatusFromCauses, validate } from '../middleware/validator.ts';
import type { ScopeResolver } from '../scope/scope-resolver.ts';
import { toArchiveScope } from '../scope/user-scope.ts';
import { type EventStreamOptions, streamEvents } from '../stream/event-stream.ts';
import type { LiveJournal } from '../stream/live-journal.ts';
import { exportFileName, exportFormats, exportStream } from './events-export.ts';
import { filterQuery, toArchiveFilter } from './events-filter.ts';

export interface EventRoutesOptions {
  scopes: ScopeResolver;
  /** The archive; without it the search routes answer 503 and the stream cannot replay from it. */
  eventStore?: EventStore;
  /** The numbered live feed; without it the stream answers 503. */
  journal?: LiveJournal;
  stream?: Omit<EventStreamOptions, 'journal' | 'scopes' | 'eventStore'>;
}

const searchQuery = filterQuery({
  from: z.coerce.number().int().min(0, 'from cannot be negative').default(0),
  size: z.coerce.number().int().min(1, 'size must be at least 1').max(1000, 'size is at most 1000').default(50),
  sort: z.enum(['asc', 'desc']).default('desc'),
});

const histogramQuery = filterQuery({
  interval: z
    .string()
    .regex(/^[1-9][0-9]*[smhdwMqy]$/, 'interval is a count and a unit of s, m, h, d, w, M, q or y, e.g. 15m')
    .default('15m'),
});

const exportQuery = filterQuery({ format: z.enum(exportFormats).default('ndjson') });

/** Only a client that could not set the header (a manual reconnect) passes the resume point as a parameter. */
const streamQuery = filterQuery({ lastEventId: z.string().max(200).optional() });

/**
 * The console's event views, each scoped to what the signed-in user may see (scope/): the archive search
 * with its histogram, statistics and export, and the live stream. All take the filter parameters of
 * events-filter.ts.
 */
export function eventRoutes(options: EventRoutesOptions) {
  const archive = (): EventStore => {
    if (options.eventStore) return options.eventStore;
    throw new StatusError(
      failureStatus(503, 'ServiceUnavailable', 'The event archive is not open; /api/healthz says why.'),
    );
  };
  const scopeOf = async (c: Context<AuthenticatedEnv>) => toArchiveScope(await options.scopes.resolve(c.var.userKube));

  return new Hono<AuthenticatedEnv>()
    .get('/events', validate('query', searchQuery), async (c) => {
      const { from, size, sort, ...filter } = c.req.valid('query');
      const result = await archive().query({ ...toArchiveFilter(filter), from, size, sort }, await scopeOf(c));
      return c.json(result, 200);
    })
    .get('/events/histogram', validate('query', histogramQuery), async (c) => {
      const { interval, ...filter } = c.req.valid('query');
      try {
        return c.json(await archive().histogram(toArchiveFilter(filter), await scopeOf(c), interval), 200);
      } catch (error) {
        // Too many buckets for the range: the request's interval is at fault, not the archive.
        if (!(error instanceof HistogramError)) throw error;
        throw new StatusError(
          invalidStatusFromCauses('Request', 'query', [
            { reason: 'FieldValueInvalid', message: error.message, field: 'interval' },
          ]),
        );
      }
    })
    .get('/events/statistics', validate('query', filterQuery({})), async (c) => {
      return c.json(await archive().statistics(toArchiveFilter(c.req.valid('query')), await scopeOf(c)), 200);
    })
    .get('/events/export', validate('query', exportQuery), async (c) => {
      const { format, ...filter } = c.req.valid('query');
      const store = archive();
      const body = exportStream(store.iterate(toArchiveFilter(filter), await scopeOf(c), 500), format);
      return c.body(body, 200, {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'Content-Disposition': `attachment; filename="${exportFileName(format, new Date())}"`,
        'Cache-Control': 'no-store',
      });
    })
    .get('/events/stream', validate('query', streamQuery), async (c) => {
      if (!options.journal) {
        throw new StatusError(
          failureStatus(503, 'ServiceUnavailable', 'The live stream is not available: the receiver is not running.'),
        );
      }
      const { lastEventId, ...filter } = c.req.valid('query');
      return streamEvents(c, toArchiveFilter(filter), c.req.header('Last-Event-ID') ?? lastEventId, {
        ...options.stream,
        journal: options.journal,
        scopes: options.scopes,
        eventStore: options.eventStore,
      });
    });
}
