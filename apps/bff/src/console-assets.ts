import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/**
 * Serves the built console and falls back to index.html for client-side routes. Hashed assets are cached
 * for a year; index.html never, so a new build is picked up on reload.
 */
export function consoleAssets(consoleDir: string) {
  // serveStatic resolves `root` against the working directory.
  const root = relative(process.cwd(), consoleDir) || '.';
  return new Hono()
    .use(
      '/assets/*',
      serveStatic({
        root,
        onFound: (_path, c) => {
          c.header('Cache-Control', 'public, max-age=31536000, immutable');
        },
      }),
    )
    .use('*', serveStatic({ root }))
    .get('*', async (c) => {
      const indexHtml = join(consoleDir, 'index.html');
      if (!existsSync(indexHtml)) {
        return c.text(`The console is not built (${consoleDir} is missing). Run npm start, which builds it.`, 404);
      }
      c.header('Cache-Control', 'no-cache');
      return c.html(await readFile(indexHtml, 'utf8'));
    });
}
