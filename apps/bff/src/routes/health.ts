import { Hono } from 'hono';
import { collectHealth, type HealthGroup, type HealthProbe } from '../health.ts';

/**
 * `/healthz` always answers 200 with each component's state, so it can say what is wrong; `/readyz` is the
 * same report as 503 until every component is ok, for whoever waits for the product to be usable (a
 * load balancer, the end-to-end tests' web server).
 */
export function healthRoutes(version: string, probes: Record<string, HealthProbe>, groups: HealthGroup[] = []) {
  return new Hono()
    .get('/healthz', async (c) => c.json(await collectHealth(version, probes, groups)))
    .get('/readyz', async (c) => {
      const report = await collectHealth(version, probes, groups);
      return c.json(report, report.status === 'ok' ? 200 : 503);
    });
}
