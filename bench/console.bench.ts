/**
 * Console budgets of issue 6, in real Chromium against the real product (`npm start`'s launcher on its own local
 * cluster): the first-load JavaScript of the Overview (budget 300 KB gzip), and the live view with 50,000 rows
 * buffered while 2,000 events/s arrive and the list is scrolled (frame timings, JS heap at 10k/25k/50k rows and
 * after the buffer starts letting rows go, rows and drops as the page reports them). Writes
 * bench/results/console.json; a budget missed is reported there as `pass: false`, not as a failed run.
 *
 *   node bench/console.bench.ts [--rate 2000] [--rows 50000] [--after-seconds 10] [--port 29080]
 *                               [--sandbox-port 29444] [--receiver-port 29443] [--skip-build]
 *                               [--cpu-profile page.cpuprofile] [--trace page.trace.json]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from '@playwright/test';
import { kubesphereBatchBody, kubesphereEvent } from '../apps/bff/src/receiver/testing/audit-batches.ts';
import { liveBufferCapacity } from '../apps/console/src/features/live/live-buffer.ts';
import { clusterLayout } from '../packages/local-cluster/src/layout.ts';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    rows: { type: 'string', default: '50000' },
    // Feeding on after the target: the buffer is full and lets the oldest rows go; the heap must stay put.
    'after-seconds': { type: 'string', default: '10' },
    port: { type: 'string', default: '29080' },
    'sandbox-port': { type: 'string', default: '29444' },
    'receiver-port': { type: 'string', default: '29443' },
    'skip-build': { type: 'boolean', default: false },
    // A CPU profile of the page while it is fed (open in Chrome DevTools' Performance panel).
    'cpu-profile': { type: 'string' },
    // A Chromium trace (devtools.timeline) of the same span: style, layout, paint, event dispatch.
    trace: { type: 'string' },
  },
});
const rate = Number(args.rate);
const targetRows = Number(args.rows);
const afterSeconds = Number(args['after-seconds']);
const port = Number(args.port);
const receiverPort = Number(args['receiver-port']);

const repo = fileURLToPath(new URL('..', import.meta.url));
// Its own build, data and ports: it runs beside `npm start`, `npm test` and other builds of the console.
const consoleDir = join(repo, '.auditorium', 'bench-console-build');
const dataDir = join(repo, '.auditorium', 'bench-console');
const resultFile = join(repo, 'bench', 'results', 'console.json');
const origin = `http://127.0.0.1:${port}`;
const firstLoadBudgetKB = 300;
const longFrameMs = 50;
const scrollOnlySeconds = 5;
/**
 * "Scrolls smoothly", made a number here (the issue gives none): while feeding, the median frame at most two 60 Hz
 * frames and at most 5% of frames long (> 50 ms).
 */
const smooth = { p50Ms: 33.4, longFrameShare: 0.05 };
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// playwright.config.ts's flags: Debian's chromium kept off the network.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function say(line: string): void {
  process.stderr.write(`console bench: ${line}\n`);
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function buildConsole(): void {
  if (args['skip-build']) return;
  say(`building the console into ${consoleDir}`);
  const vite = join(repo, 'apps', 'console', 'node_modules', '.bin', 'vite');
  const built = spawnSync(vite, ['build', '--outDir', consoleDir, '--emptyOutDir'], {
    cwd: join(repo, 'apps', 'console'),
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr.slice(-2000)}`);
}

/** The JS index.html makes the browser fetch before anything runs: its entry script and modulepreloads. */
function staticFirstLoad() {
  const html = readFileSync(join(consoleDir, 'index.html'), 'utf8');
  const paths = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((match) => match[1]!);
  const files = paths.map((path) => {
    const body = readFileSync(join(consoleDir, path));
    return { path, bytes: body.length, gzipBytes: gzipSync(body).length };
  });
  const gzipBytes = files.reduce((sum, file) => sum + file.gzipBytes, 0);
  return { files, gzipKB: kb(gzipBytes), rawKB: kb(files.reduce((sum, file) => sum + file.bytes, 0)) };
}

async function startProduct(): Promise<{ launcher: ChildProcess; stop: () => Promise<void> }> {
  say(`starting the product on ${origin} (data ${dataDir})`);
  const launcher = spawn(process.execPath, [join(repo, 'apps', 'launcher', 'src', 'main.ts')], {
    cwd: repo,
    env: {
      ...process.env,
      KUBECONFIG: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SANDBOX_PORT: args['sandbox-port'],
      RECEIVER_PORT: String(receiverPort),
      DEMO_RATE: '0',
      CONSOLE_DIR: consoleDir,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output: string[] = [];
  launcher.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => launcher.once('exit', () => resolve()));
  const stop = async () => {
    if (launcher.exitCode !== null) return;
    launcher.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000).then(() => launcher.kill('SIGKILL'))]);
    await exited;
  };
  const started = performance.now();
  for (;;) {
    if (launcher.exitCode !== null) throw new Error(`the launcher exited: ${output.join('').slice(-2000)}`);
    if (performance.now() - started > 15 * 60_000) {
      await stop();
      throw new Error('the product did not serve within 15 min');
    }
    // Ready: the cluster and every part of ours (the receiver's rules loaded, or the feed would get 503s).
    const ready = await fetch(`${origin}/api/readyz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ready) break;
    await sleep(250);
  }
  say(`serving after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { launcher, stop };
}

/** The admin's bearer token, as the local cluster generated it (the same one its kubeconfig holds). */
function adminToken(): string {
  const tokens = JSON.parse(readFileSync(clusterLayout(dataDir).tokensJson, 'utf8')) as { admin?: string };
  if (!tokens.admin) throw new Error('the local cluster has no admin token');
  return tokens.admin;
}

async function signedInPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: origin, viewport: { width: 1280, height: 720 } });
  const response = await context.request.post('/api/session', {
    data: { token: adminToken() },
    headers: { Origin: origin },
  });
  if (response.status() !== 201) throw new Error(`sign-in: ${response.status()} ${await response.text()}`);
  return context.newPage();
}

/** The Overview in a fresh context (empty cache): every JS response until the network is idle, gzipped. */
async function measuredFirstLoad(browser: Browser) {
  const page = await signedInPage(browser);
  const scripts: Array<Promise<{ url: string; bytes: number; gzipBytes: number }>> = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (response.request().resourceType() !== 'script' && !type.includes('javascript')) return;
    scripts.push(
      response.body().then((body) => ({
        url: new URL(response.url()).pathname,
        bytes: body.length,
        gzipBytes: gzipSync(body).length,
      })),
    );
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  const heading = await page.getByRole('heading', { level: 1 }).first().textContent();
  const files = await Promise.all(scripts);
  await page.context().close();
  const gzipBytes = files.reduce((sum, file) => sum + file.gzipBytes, 0);
  return {
    page: heading?.trim() ?? null,
    files,
    gzipKB: kb(gzipBytes),
    rawKB: kb(files.reduce((sum, file) => sum + file.bytes, 0)),
  };
}

/** Posts KubeSphere-shaped batches to the receiver at `rate` events/s until `stop()`; counts what was accepted. */
function feeder() {
  const ca = readFileSync(clusterLayout(dataDir).receiverCa);
  const agent = new Agent({ keepAlive: true, maxSockets: 2, ca });
  const batchSize = Math.max(1, Math.round(rate / 10));
  let sent = 0;
  let accepted = 0;
  let rejected = 0;
  let running = true;
  let sequence = 0;
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: receiverPort,
          path: '/audit/webhook/event',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  const done = (async () => {
    while (running) {
      // Paced against the clock, so a slow response is made up by the next batch rather than lowering the rate.
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      if (sent >= due) {
        await sleep(20);
        continue;
      }
      // Behind the clock (a slow response), a bigger batch catches up, as kube-apiserver's batching backend does.
      const count = Math.min(batchSize * 5, due - sent);
      const events = Array.from({ length: count }, () => {
        sequence += 1;
        return kubesphereEvent({ name: `bench-${sequence}`, namespace: `bench-${sequence % 20}` });
      });
      sent += count;
      const status = await post(kubesphereBatchBody(events)).catch(() => 0);
      if (status >= 200 && status < 300) accepted += count;
      else rejected += count;
    }
  })();
  return {
    counts: () => ({ sent, accepted, rejected, seconds: (performance.now() - started) / 1000 }),
    stop: async () => {
      running = false;
      await done;
      agent.destroy();
    },
  };
}

/** What the live page itself says: rows shown (aria-rowcount less the header), the drop and let-go notices. */
async function liveCounts(page: Page) {
  return page.evaluate(() => {
    const table = document.querySelector('table[aria-label="Live audit events"]');
    const rows = Number(table?.getAttribute('aria-rowcount') ?? 1) - 1;
    const notices = [...document.querySelectorAll('.live-notices .notice')].map((node) => node.textContent ?? '');
    const number = (pattern: RegExp) => {
      for (const text of notices) {
        const match = pattern.exec(text);
        if (match) return Number(match[1]!.replaceAll(',', ''));
      }
      return 0;
    };
    return {
      rows,
      serverDropped: number(/Dropped ([\d,]+) events/),
      letGo: number(/([\d,]+) older ones\s+were let go/),
    };
  });
}

async function liveView(browser: Browser) {
  const page = await signedInPage(browser);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async (collect: boolean) => {
    if (collect) await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
    const total = metrics.find((metric) => metric.name === 'JSHeapTotalSize')?.value ?? Number.NaN;
    return { usedMiB: mib(used), totalMiB: mib(total) };
  };
  await page.goto('/live');
  await page.getByRole('table', { name: 'Live audit events' }).waitFor();
  await page.locator('.stream-state[data-phase="open"]').waitFor({ timeout: 30_000 });
  const idleHeap = await heap(true);
  // The renderer main thread's cumulative busy time by kind (seconds): whether long frames are the page's own
  // work (script, style, layout) or a starved thread on a busy machine.
  const busy = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? Number.NaN;
    return {
      at: performance.now(),
      task: value('TaskDuration'),
      script: value('ScriptDuration'),
      layout: value('LayoutDuration'),
      style: value('RecalcStyleDuration'),
    };
  };
  const busyShare = (from: Awaited<ReturnType<typeof busy>>, to: Awaited<ReturnType<typeof busy>>) => {
    const wall = (to.at - from.at) / 1000;
    const share = (key: 'task' | 'script' | 'layout' | 'style') =>
      Math.round(((to[key] - from[key]) / wall) * 100) / 100;
    return {
      wallSeconds: Math.round(wall * 10) / 10,
      task: share('task'),
      script: share('script'),
      layout: share('layout'),
      style: share('style'),
    };
  };

  // Frame deltas collected in the page, so Playwright's round trips do not colour them.
  await page.evaluate(() => {
    const frames: number[] = [];
    (window as unknown as { benchFrames: number[] }).benchFrames = frames;
    let last = performance.now();
    const tick = (now: number) => {
      frames.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const list = page.locator('.live-scroll');
  const box = await list.boundingBox();
  if (!box) throw new Error('the live list has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);

  // A user reading the stream: wheel up a few screens, then back down towards the newest rows, over and over.
  let scrolling = true;
  let wheelEvents = 0;
  const scroller = (async () => {
    for (let step = 0; scrolling; step++) {
      await page.mouse.wheel(0, step % 20 < 12 ? -600 : 900);
      wheelEvents += 1;
      await sleep(100);
    }
  })();

  say(`feeding ${rate} events/s until ${targetRows.toLocaleString()} rows are buffered`);
  const feed = feeder();
  const busyAtFeedStart = await busy();
  if (args['cpu-profile']) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  if (args.trace) await browser.startTracing(page, { path: args.trace, categories: ['devtools.timeline'] });
  const milestones: Array<Record<string, unknown>> = [];
  const pending = [10_000, 25_000, targetRows];
  const started = performance.now();
  let counts = await liveCounts(page);
  const timeoutMs = ((targetRows / rate) * 3 + 60) * 1000;
  while (pending.length > 0 && performance.now() - started < timeoutMs) {
    await sleep(250);
    counts = await liveCounts(page);
    while (pending.length > 0 && counts.rows >= pending[0]!) {
      const mark = pending.shift()!;
      milestones.push({
        milestone: mark,
        ...counts,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        heap: await heap(false),
        feeder: feed.counts(),
      });
      say(`${counts.rows.toLocaleString()} rows after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  const reachedTarget = pending.length === 0;
  const framesAtTarget = await page.evaluate(() => (window as unknown as { benchFrames: number[] }).benchFrames.length);
  // On past capacity: the oldest rows are let go and the heap should not grow with what arrives.
  say(`feeding on for ${afterSeconds} s past the target`);
  await sleep(afterSeconds * 1000);
  await feed.stop();
  if (args.trace) {
    await browser.stopTracing();
    say(`wrote the page's trace to ${args.trace}`);
  }
  if (args['cpu-profile']) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(args['cpu-profile'], JSON.stringify(profile));
    say(`wrote the page's CPU profile to ${args['cpu-profile']}`);
  }
  const fed = feed.counts();
  const busyAtFeedEnd = await busy();
  const framesAtFeedEnd = await page.evaluate(
    () => (window as unknown as { benchFrames: number[] }).benchFrames.length,
  );
  // Scrolling the full buffer with nothing arriving: what scrolling alone costs, apart from the ingest.
  say(`scrolling ${scrollOnlySeconds} s more with the feed stopped`);
  await sleep(scrollOnlySeconds * 1000);
  scrolling = false;
  await scroller;
  const busyAtScrollEnd = await busy();
  const frames = await page.evaluate(() => (window as unknown as { benchFrames: number[] }).benchFrames);
  await sleep(1000);
  const after = { ...(await liveCounts(page)), heap: await heap(false), heapAfterGc: await heap(true) };
  await page.context().close();

  // The first delta is from installation to the first frame; not a frame interval.
  const stats = (deltas: number[]) => {
    const sorted = [...deltas].sort((a, b) => a - b);
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      frames: sorted.length,
      p50Ms: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.at(-1) ?? Number.NaN),
      longFrames: sorted.filter((delta) => delta > longFrameMs).length,
    };
  };
  return {
    reachedTarget,
    idleHeap,
    milestones,
    framesUntilTarget: stats(frames.slice(1, framesAtTarget)),
    framesWhileFeeding: stats(frames.slice(1, framesAtFeedEnd)),
    framesScrollOnly: stats(frames.slice(framesAtFeedEnd)),
    mainThreadBusyShare: {
      whileFeeding: busyShare(busyAtFeedStart, busyAtFeedEnd),
      scrollOnly: busyShare(busyAtFeedEnd, busyAtScrollEnd),
    },
    wheelEvents,
    fed: { ...fed, eventsPerSecond: Math.round(fed.sent / fed.seconds) },
    after,
  };
}

buildConsole();
const staticLoad = staticFirstLoad();
say(`index.html's entry and modulepreloads: ${staticLoad.gzipKB} KB gzip`);
const product = await startProduct();
let browser: Browser | undefined;
try {
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  const measured = await measuredFirstLoad(browser);
  say(`the Overview fetched ${measured.files.length} scripts, ${measured.gzipKB} KB gzip`);
  const live = await liveView(browser);
  const result = {
    benchmark: 'console',
    at: new Date().toISOString(),
    chromium: browser.version(),
    firstLoad: {
      budgetKB: firstLoadBudgetKB,
      pass: measured.gzipKB <= firstLoadBudgetKB,
      measured: {
        ...measured,
        note: 'JS responses of / (the Overview) until network idle, each body gzipped (node:zlib, level 6)',
      },
      static: { ...staticLoad, note: "dist/index.html's module entry + modulepreloads, gzipped" },
    },
    live: {
      setup: {
        rate,
        targetRows,
        afterSeconds,
        events: 'KubeSphere-shaped batches (apps/bff testdata template, fresh AuditIDs) to the receiver over TLS',
        bufferCapacity: liveBufferCapacity,
        longFrameMs,
        scrolling: 'mouse wheel every 100 ms: 12 steps up 600 px, 8 down 900 px',
        heap: 'CDP Performance.getMetrics JSHeapUsedSize; milestones without GC, heapAfterGc after HeapProfiler.collectGarbage',
      },
      ...live,
      smooth: {
        ...smooth,
        pass:
          live.framesWhileFeeding.p50Ms <= smooth.p50Ms &&
          live.framesWhileFeeding.longFrames <= smooth.longFrameShare * live.framesWhileFeeding.frames,
      },
      memoryBounded: {
        bufferCapacity: liveBufferCapacity,
        rowsAfter: live.after.rows,
        heapAtTarget: live.milestones.at(-1)?.heap,
        heapAfterLettingGo: live.after.heap,
        pass: live.after.rows <= liveBufferCapacity,
      },
    },
  };
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  say(`wrote ${resultFile}`);
} finally {
  await browser?.close();
  await product.stop();
}
