// Demo traffic on the real local cluster, for a few seconds and in namespaces of the test's own: the users' work
// reaches the ks-apiserver stand-in's receiver as KubeSphere events of several users, and stop() cleans up.
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { repeatsCounted, startDemoTraffic } from './demo-traffic.ts';
import { type KsApiserverFixture, startKsApiserverFixture } from './testing/ks-apiserver-fixture.ts';
import { clusterInfo, createTestNamespace, kubeConfigAs } from './testing/test-cluster.ts';

let fixture: KsApiserverFixture;
let other: { name: string; remove: () => Promise<void> };

beforeAll(async () => {
  fixture = await startKsApiserverFixture('h2-demo');
  other = await createTestNamespace('h2-demo-other');
}, 120_000);

afterAll(async () => {
  await other?.remove();
  await fixture?.close();
});

describe('demo traffic', { timeout: 90_000 }, () => {
  test('several users work through ks-apiserver and straight to kube-apiserver, and it cleans up after itself', async () => {
    const demo = startDemoTraffic({
      kubeconfigPath: clusterInfo().kubeconfigPath,
      ksApiserverUrl: fixture.standIn.url,
      ratePerSecond: 10,
      namespaces: { tenant: fixture.namespace, admin: [fixture.namespace, other.name] },
    });
    try {
      await expect
        .poll(
          () => {
            const users = new Set(fixture.receiver.events().map((event) => event.User.username));
            const verbs = new Set(fixture.receiver.events().map((event) => event.Verb));
            // Refusals and failures are part of the mix: some answers are not 2xx.
            const failed = Object.values(demo.stats().byUser).some((byCode) =>
              Object.keys(byCode).some((code) => Number(code) >= 400),
            );
            return users.size >= 2 && verbs.has('create') && (verbs.has('delete') || verbs.has('patch')) && failed;
          },
          { timeout: 45_000, interval: 250 },
        )
        .toBe(true);
    } finally {
      await demo.stop();
    }
    const stats = demo.stats();
    expect(stats.throughKsApiserver).toBeGreaterThan(0);
    expect(stats.requests).toBeGreaterThan(stats.throughKsApiserver);

    const namespaces = new Set(fixture.receiver.events().map((event) => event.ObjectRef.Namespace));
    expect([...namespaces].every((namespace) => [fixture.namespace, other.name, ''].includes(namespace))).toBe(true);
    const core = kubeConfigAs('admin').makeApiClient(CoreV1Api);
    for (const namespace of [fixture.namespace, other.name]) {
      const left = await core.listNamespacedConfigMap({
        namespace,
        labelSelector: 'app.kubernetes.io/part-of=auditorium-demo',
      });
      expect(left.items.map((item) => item.metadata?.name)).toEqual([]);
    }
  });

  test('sends nothing at rate 0', async () => {
    const before = fixture.receiver.events().length;
    const demo = startDemoTraffic({
      kubeconfigPath: clusterInfo().kubeconfigPath,
      ksApiserverUrl: fixture.standIn.url,
      ratePerSecond: 0,
      namespaces: { tenant: fixture.namespace, admin: [fixture.namespace] },
    });
    await demo.stop();
    expect(demo.stats().requests).toBe(0);
    expect(fixture.receiver.events().length).toBe(before);
  });
});

describe('demo traffic failures in the log', () => {
  test('the same failure over and over is one line per window, then a count of the repeats', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const lines: string[] = [];
      const log = repeatsCounted((line) => lines.push(line), 30_000);
      for (let i = 0; i < 5; i++) log('demo traffic: fetch failed (ECONNREFUSED)');
      log('demo traffic: namespaces "x" not found');
      vi.setSystemTime(31_000);
      log('demo traffic: fetch failed (ECONNREFUSED)');
      expect(lines).toEqual([
        'demo traffic: fetch failed (ECONNREFUSED)',
        'demo traffic: namespaces "x" not found',
        'demo traffic: fetch failed (ECONNREFUSED) (and 4 more like it in the last 30 s)',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
