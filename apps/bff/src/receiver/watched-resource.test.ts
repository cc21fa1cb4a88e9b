import { createServer, type Server, type ServerResponse } from 'node:http';
import { CoreV1Api, KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type WatchedResource, type WatchedResourceOptions, watchResource } from './watched-resource.ts';

/**
 * The failure paths of a watch, which a healthy apiserver cannot be made to take on cue: failing lists, a
 * 410 Gone that forces a re-list, a dropped connection. A small HTTP stand-in speaks just enough of the
 * list/watch protocol (a resourceVersion per change, the watch stream replaying from a version); the
 * happy path runs against the real apiserver in cluster-config-watch.test.ts.
 */
class FakeNamespaceApi {
  readonly server: Server;
  listCalls = 0;
  failLists = 0;
  private version = 1;
  private readonly objects = new Map<string, V1Namespace>();
  private readonly log: Array<{ version: number; type: string; object: V1Namespace }> = [];
  private readonly watchers = new Set<ServerResponse>();

  constructor() {
    this.server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://fake');
      if (url.pathname !== '/api/v1/namespaces') return void response.writeHead(404).end();
      if (url.searchParams.get('watch') !== 'true') {
        this.listCalls += 1;
        if (this.failLists > 0) {
          this.failLists -= 1;
          response.writeHead(500, { 'content-type': 'application/json' });
          return void response.end(JSON.stringify({ kind: 'Status', code: 500, message: 'etcd is down' }));
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end(
          JSON.stringify({
            kind: 'NamespaceList',
            apiVersion: 'v1',
            metadata: { resourceVersion: String(this.version) },
            items: [...this.objects.values()],
          }),
        );
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      // The apiserver sends a watch's headers at once; the client's start() waits for them.
      response.flushHeaders();
      const since = Number(url.searchParams.get('resourceVersion') ?? 0);
      for (const entry of this.log) if (entry.version > since) this.write(response, entry.type, entry.object);
      this.watchers.add(response);
      response.on('close', () => this.watchers.delete(response));
    });
  }

  private write(response: ServerResponse, type: string, object: unknown): void {
    response.write(`${JSON.stringify({ type, object })}\n`);
  }

  /** Adds or relabels a namespace, recording the change for watches. */
  put(name: string, labels: Record<string, string> = {}, { quietly = false } = {}): void {
    this.version += 1;
    const type = this.objects.has(name) ? 'MODIFIED' : 'ADDED';
    const object: V1Namespace = { metadata: { name, labels, resourceVersion: String(this.version) } };
    this.objects.set(name, object);
    if (quietly) return;
    this.log.push({ version: this.version, type, object });
    for (const watcher of this.watchers) this.write(watcher, type, object);
  }

  /** Deletes without telling watches, as happens while a watch is too far behind. */
  deleteQuietly(name: string): void {
    this.version += 1;
    this.objects.delete(name);
  }

  /** Ends every watch with a 410 Gone error event, as the apiserver does once a version is compacted. */
  expireWatches(): void {
    this.log.length = 0;
    for (const watcher of this.watchers) {
      this.write(watcher, 'ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        code: 410,
        reason: 'Expired',
        message: 'too old',
      });
      watcher.end();
    }
  }

  dropConnections(): void {
    this.server.closeAllConnections();
  }
}

describe('watched resource', () => {
  let api: FakeNamespaceApi;
  let watched: WatchedResource<V1Namespace> | undefined;
  let kubeConfig: KubeConfig;
  const errors: string[] = [];

  beforeEach(async () => {
    api = new FakeNamespaceApi();
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    const { port } = api.server.address() as { port: number };
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'fake', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'fake' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
      currentContext: 'fake',
    });
    errors.length = 0;
  });

  afterEach(async () => {
    await watched?.stop();
    api.dropConnections();
    await new Promise((resolve) => api.server.close(resolve));
  });

  const start = (backoff: Partial<WatchedResourceOptions<V1Namespace>> = {}) => {
    const core = kubeConfig.makeApiClient(CoreV1Api);
    watched = watchResource<V1Namespace>({
      kubeConfig,
      path: '/api/v1/namespaces',
      list: () => core.listNamespace(),
      description: 'namespaces',
      onError: (message) => errors.push(message),
      initialBackoffMs: 20,
      maxBackoffMs: 100,
      ...backoff,
    });
    return watched;
  };

  test('while the cluster is still starting, retries stay close together instead of backing off far', async () => {
    api.failLists = 7;
    const startedAt = performance.now();
    // Doubling from 20 ms, seven failures would wait 20+40+…+1,280 = 2,540 ms; capped at 40 ms, 260 ms.
    const namespaces = start({ maxBackoffMs: 10_000, startupMaxBackoffMs: 40, startupMs: 60_000 });
    await namespaces.whenSynced();
    expect(api.listCalls).toBe(8);
    expect(performance.now() - startedAt).toBeLessThan(1_500);
  });

  test('retries a failing list with backoff, reporting the error, until it succeeds', async () => {
    api.put('demo', { 'kubesphere.io/workspace': 'ws' });
    api.failLists = 3;
    const namespaces = start();
    await namespaces.whenSynced();
    expect(api.listCalls).toBe(4);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain('watching namespaces');
    expect(namespaces.get('demo')?.metadata?.labels).toEqual({ 'kubesphere.io/workspace': 'ws' });
    expect(namespaces.lastError()).toBeUndefined();
  });

  test('applies changes from the watch and tells its listeners', async () => {
    const namespaces = start();
    await namespaces.whenSynced();
    let changes = 0;
    namespaces.onChange(() => (changes += 1));
    api.put('team-a', { 'kubesphere.io/workspace': 'a' });
    await expect.poll(() => namespaces.get('team-a')?.metadata?.labels?.['kubesphere.io/workspace']).toBe('a');
    api.put('team-a', { 'kubesphere.io/workspace': 'b' });
    await expect.poll(() => namespaces.get('team-a')?.metadata?.labels?.['kubesphere.io/workspace']).toBe('b');
    expect(changes).toBe(2);
  });

  test('re-lists after 410 Gone and drops what was deleted meanwhile', async () => {
    api.put('kept');
    api.put('gone');
    const namespaces = start();
    await namespaces.whenSynced();
    const listsBefore = api.listCalls;
    api.deleteQuietly('gone');
    api.put('new', {}, { quietly: true });
    api.expireWatches();
    await expect
      .poll(() =>
        namespaces
          .list()
          .map((namespace) => namespace.metadata?.name)
          .sort(),
      )
      .toEqual(['kept', 'new']);
    expect(api.listCalls).toBe(listsBefore + 1);
  });

  test('reconnects after the connection drops and resumes from its resourceVersion', async () => {
    const namespaces = start();
    await namespaces.whenSynced();
    api.put('before');
    await expect.poll(() => namespaces.get('before')).toBeDefined();
    const listsBefore = api.listCalls;
    api.dropConnections();
    api.put('after');
    await expect.poll(() => namespaces.get('after'), { timeout: 5000 }).toBeDefined();
    // Resumed from the last version: the stream replayed the change, no re-list was needed.
    expect(api.listCalls).toBe(listsBefore);
  });
});
