import { failureStatus } from '@auditorium/audit-model';
import { Hono } from 'hono';
import { StatusError } from '../errors.ts';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import type { ReceiverStats } from '../receiver/receiver-stats.ts';

/** The receiver's in-memory counters; a function so the route always reads the current picture. */
export type PipelineStatsSource = () => ReceiverStats;

/**
 * `GET /api/overview`: what the receiver has done since it started (rate, totals, drops with reasons, the
 * last event per source). Counters only, no event content, so every signed-in user may read them.
 */
export function overviewRoutes(options: { stats?: PipelineStatsSource | undefined }) {
  return new Hono<AuthenticatedEnv>().get('/', (c) => {
    if (!options.stats) {
      throw new StatusError(
        failureStatus(503, 'ServiceUnavailable', 'The receiver is not running; /api/healthz says why.'),
      );
    }
    return c.json(options.stats(), 200);
  });
}
