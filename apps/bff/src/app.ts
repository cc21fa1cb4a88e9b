import { Hono } from 'hono';
import { consoleAssets } from './console-assets.ts';
import type { HealthProbe } from './health.ts';
import { healthRoutes } from './routes/health.ts';
import { securityHeaders } from './security-headers.ts';

export interface AppOptions {
  version: string;
  /** The built console (apps/console/dist). */
  consoleDir: string;
  probes: Record<string, HealthProbe>;
}

function apiRoutes(options: AppOptions) {
  return new Hono().route('/', healthRoutes(options.version, options.probes));
}

export type { ComponentHealth, HealthReport } from './health.ts';
export type AppType = ReturnType<typeof apiRoutes>;

/** The console listener's app: API under /api, the console everywhere else. Opens no port (see main.ts). */
export function createApp(options: AppOptions) {
  return new Hono()
    .use(securityHeaders())
    .route('/api', apiRoutes(options))
    .route('/', consoleAssets(options.consoleDir));
}
