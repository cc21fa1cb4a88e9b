import { describe, expect, test } from 'vitest';
import type { ArchiveScope } from './event-store.ts';
import { parseKubeSphereAuditingParams } from './kubesphere-query-params.ts';
import { answerKubeSphereAuditing } from './kubesphere-responses.ts';
import { sampleRecord } from './sample-event.ts';
import { openTempStore } from './temp-store.ts';

const all: ArchiveScope = { kind: 'all' };

async function answer(store: Parameters<typeof answerKubeSphereAuditing>[0], query: string, scope = all) {
  const parsed = parseKubeSphereAuditingParams(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return answerKubeSphereAuditing(store, parsed.request, scope);
}

describe('answerKubeSphereAuditing', () => {
  test("answers a query in ks-apiserver's shape, records as KubeSphere archived them", async () => {
    const { store } = await openTempStore();
    await store.append([
      sampleRecord({
        auditId: 'a1',
        received: '2024-05-01T12:00:00.123456Z',
        namespace: 'demo',
        workspace: 'ws-demo',
        username: 'admin',
        groups: ['system:authenticated', 'devs'],
        sourceIps: ['10.0.0.1', '10.0.0.2'],
        code: 404,
        status: 'Failure',
      }),
      sampleRecord({ auditId: 'a2', received: '2024-05-01T12:00:01Z', namespace: 'prod' }),
    ]);
    const body = await answer(store, 'objectref_namespace_filter=demo&start_time=1714564800&end_time=1714564801');
    expect(body).toEqual({
      query: {
        total: 1,
        records: [
          expect.objectContaining({
            AuditID: 'a1',
            RequestReceivedTimestamp: '2024-05-01T12:00:00.123456Z',
            User: { Username: 'admin', UID: '', Groups: 'system:authenticated,devs' },
            SourceIPs: '10.0.0.1,10.0.0.2',
            ObjectRef: expect.objectContaining({ Namespace: 'demo', Resource: 'configmaps' }),
            ResponseStatus: { metadata: {}, code: 404, status: 'Failure' },
            RequestObject: '',
            Workspace: 'ws-demo',
          }),
        ],
      },
    });
  });

  test('answers statistics and a histogram with epoch-millisecond bucket times', async () => {
    const { store } = await openTempStore();
    await store.append([
      sampleRecord({ auditId: 'a', stage: 'RequestReceived', received: '2024-05-01T12:00:00Z' }),
      sampleRecord({ auditId: 'a', received: '2024-05-01T12:00:00Z' }),
      sampleRecord({ auditId: 'b', received: '2024-05-01T12:31:00Z' }),
    ]);
    expect(await answer(store, 'operation=statistics')).toEqual({ statistics: { resources: 2, events: 3 } });
    expect(await answer(store, 'operation=histogram&interval=15m')).toEqual({
      histogram: {
        total: 3,
        buckets: [
          { time: Date.UTC(2024, 4, 1, 12, 0), count: 2 },
          { time: Date.UTC(2024, 4, 1, 12, 15), count: 0 },
          { time: Date.UTC(2024, 4, 1, 12, 30), count: 1 },
        ],
      },
    });
  });

  test('answers a caller who may see nothing with an empty list of records', async () => {
    const { store } = await openTempStore();
    await store.append([sampleRecord()]);
    const nothing: ArchiveScope = { kind: 'tenant', namespaces: [], workspaces: [], clusterLevel: false };
    expect(await answer(store, '', nothing)).toEqual({ query: { total: 0, records: [] } });
  });
});
