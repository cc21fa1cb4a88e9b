import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import packageJson from '../../../package.json' with { type: 'json' };
import { createApp } from './app.ts';

const here = dirname(fileURLToPath(import.meta.url));
const consoleDir = resolve(process.env.CONSOLE_DIR ?? join(here, '../../console/dist'));
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8080);

const app = createApp({
  version: packageJson.version,
  consoleDir,
  probes: {
    console: () =>
      existsSync(join(consoleDir, 'index.html'))
        ? { state: 'ok' }
        : { state: 'down', reason: `console not built: ${consoleDir} is missing` },
  },
});

const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
  process.stdout.write(`Auditorium console: http://${host}:${info.port}/\n`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
