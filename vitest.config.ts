import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.{ts,tsx}', 'packages/*/src/**/*.test.ts'],
    // One local cluster (real etcd + kube-apiserver + kwok) for the whole run; KUBECONFIG set → that cluster.
    globalSetup: ['packages/local-cluster/src/testing/global-setup.ts'],
    // Integration tests share one local cluster; two cores do not gain from more forks.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 600_000,
  },
});
