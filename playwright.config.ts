import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 18080);
/**
 * The e2e product's state, apart from a developer's `npm start` (.auditorium) and the vitest cluster
 * (.auditorium/test-cluster): its own local cluster, archive and certificates. e2e/fixtures.ts reads the
 * users' tokens from `$E2E_DATA_DIR/cluster/kubeconfig`.
 */
export const e2eDataDir = process.env.E2E_DATA_DIR ?? join(import.meta.dirname, '.auditorium', 'e2e');
process.env.E2E_DATA_DIR = e2eDataDir;

export default defineConfig({
  testDir: './e2e/tests',
  outputDir: './test-results',
  // One product, one local cluster and 2 cores: tests run one at a time.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: { baseURL: `http://127.0.0.1:${port}`, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          // Debian's chromium, never a downloaded browser. The flags keep it off the network, which is closed here.
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    // What `npm start` runs: with KUBECONFIG unset it starts the local cluster (real etcd, kube-apiserver,
    // kwok) with the server beside it, and demo traffic. The same Node that runs Playwright runs it.
    command: `"${process.execPath}" apps/launcher/src/main.ts`,
    // readyz is 503 until every component (the cluster's own, from its state file) is ok.
    url: `http://127.0.0.1:${port}/api/readyz`,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: e2eDataDir,
      SANDBOX_PORT: process.env.E2E_SANDBOX_PORT ?? '18444',
      RECEIVER_PORT: process.env.E2E_RECEIVER_PORT ?? '18443',
      DEMO_RATE: '1',
      // e2e always runs on its own local cluster, whatever the developer's shell points at.
      KUBECONFIG: '',
    },
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    // The first run builds Kubernetes from source (cached afterwards).
    timeout: 15 * 60_000,
    // Let the launcher stop the cluster (etcd, apiserver, kwok) instead of orphaning it.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
  },
});
