import { Hono } from 'hono';
import { collectHealth, type HealthProbe } from '../health.ts';

export function healthRoutes(version: string, probes: Record<string, HealthProbe>) {
  return new Hono().get('/healthz', async (c) => c.json(await collectHealth(version, probes)));
}
