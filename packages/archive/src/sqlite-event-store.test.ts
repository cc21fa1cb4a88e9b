import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidEventError } from './event-row.ts';
import type { ArchiveFilter, ArchiveQuery, ArchiveScope } from './event-store.ts';
import { HistogramError } from './histogram-interval.ts';
import { type SampleEventFields, sampleRecord } from './sample-event.ts';
import { SqliteEventStore } from './sqlite-event-store.ts';
import { openSharedStore, openTempStore, tempDir } from './temp-store.ts';

const all: ArchiveScope = { kind: 'all' };
const t0 = Date.UTC(2024, 4, 1, 12, 0, 0);

const ids = (records: Array<{ event: { AuditID: string; Stage: string } }>) =>
  records.map((record) => record.event.AuditID);

/** Every test of a shared store works in a namespace of its own, so no test depends on another's events. */
let namespaceCounter = 0;
const ownNamespace = () => `test-ns-${++namespaceCounter}`;

describe('SqliteEventStore append', () => {
  test('stores a batch once and reports a resent batch as duplicates', async () => {
    const { store } = await openTempStore();
    const batch = [sampleRecord({ auditId: 'a' }), sampleRecord({ auditId: 'b' })];
    expect(await store.append(batch)).toEqual({ stored: 2, duplicates: 0 });
    expect(await store.append(batch)).toEqual({ stored: 0, duplicates: 2 });
    expect((await store.query({}, all)).total).toBe(2);
  });

  test('keeps each stage of one request and deduplicates on AuditID and Stage together', async () => {
    const { store } = await openTempStore();
    const result = await store.append([
      sampleRecord({ auditId: 'a', stage: 'RequestReceived' }),
      sampleRecord({ auditId: 'a', stage: 'ResponseComplete' }),
      sampleRecord({ auditId: 'a', stage: 'ResponseComplete' }),
    ]);
    expect(result).toEqual({ stored: 2, duplicates: 1 });
  });

  test('resolves an empty batch without writing', async () => {
    const { store } = await openTempStore();
    expect(await store.append([])).toEqual({ stored: 0, duplicates: 0 });
  });

  test('commits concurrent appends together and answers each sender with its own counts', async () => {
    const { store } = await openTempStore();
    const batches = Array.from({ length: 12 }, (_, sender) =>
      Array.from({ length: 400 }, (_, index) => sampleRecord({ auditId: `s${sender}-${index}` })),
    );
    // Sender 5 resends sender 4's batch: only one of the two can store it.
    batches[5] = batches[4]!;
    const appends = batches.map((batch) => store.append(batch));
    expect(store.pendingEvents()).toBe(12 * 400);
    const results = await Promise.all(appends);
    expect(results.reduce((sum, result) => sum + result.stored, 0)).toBe(11 * 400);
    expect(results[4]!.duplicates + results[5]!.duplicates).toBe(400);
    expect(store.pendingEvents()).toBe(0);
    expect((await store.query({}, all)).total).toBe(11 * 400);
  });

  test('rejects a batch with an unreadable timestamp or no AuditID, naming the event, without failing other batches', async () => {
    const { store } = await openTempStore();
    const bad = sampleRecord({ auditId: 'bad', received: 'not a time' });
    const good = store.append([sampleRecord({ auditId: 'good' })]);
    await expect(store.append([bad])).rejects.toThrow(InvalidEventError);
    await expect(store.append([bad])).rejects.toThrow(/event "bad" \("ResponseComplete"\): RequestReceivedTimestamp/);
    const keyless = sampleRecord();
    keyless.event.AuditID = '';
    await expect(store.append([keyless])).rejects.toThrow(/AuditID is required/);
    expect(await good).toEqual({ stored: 1, duplicates: 0 });
  });

  test('returns each record as appended, with matched rules and the alerted flag', async () => {
    const { store } = await openTempStore();
    const record = { ...sampleRecord({ auditId: 'a' }, ['secret-access']), alerted: true };
    record.event.RequestObject = { kind: 'Secret', metadata: { name: 'db' } };
    await store.append([record]);
    expect((await store.query({}, all)).records).toEqual([record]);
  });

  test('commits what is queued before close resolves, then refuses appends', async () => {
    const { store } = await openTempStore();
    const pending = store.append([sampleRecord({ auditId: 'last' })]);
    await store.close();
    expect(await pending).toEqual({ stored: 1, duplicates: 0 });
    await expect(store.append([sampleRecord()])).rejects.toThrow(/closed/);
  });
});

describe('SqliteEventStore open', () => {
  test('fails to open with the reason when the file cannot be created', async () => {
    const path = join(tempDir(), 'missing-directory', 'archive.db');
    await expect(SqliteEventStore.open(path)).rejects.toThrow(/unable to open database file/);
  });

  test('a store constructed on a bad path rejects appends and queries with that reason', async () => {
    const store = new SqliteEventStore(join(tempDir(), 'missing-directory', 'archive.db'));
    await expect(store.append([sampleRecord()])).rejects.toThrow(/unable to open database file/);
    await expect(store.query({}, all)).rejects.toThrow(/unable to open database file/);
    expect(store.pendingEvents()).toBe(0);
    await store.close();
  });

  test('reopening a store finds what an earlier one stored', async () => {
    const { store, path } = await openTempStore();
    await store.append([sampleRecord({ auditId: 'kept' })]);
    await store.close();
    const reopened = await SqliteEventStore.open(path);
    expect((await reopened.query({}, all)).records.map((record) => record.event.AuditID)).toEqual(['kept']);
    await reopened.close();
  });
});

describe('SqliteEventStore filters', () => {
  let store: SqliteEventStore;
  const seed: SampleEventFields[] = [
    {
      auditId: 'a1',
      received: '2024-05-01T12:00:00.000000Z',
      namespace: 'demo',
      workspace: 'ws-demo',
      name: 'web-1',
      verb: 'create',
      level: 'RequestResponse',
      username: 'Alice',
      groups: ['devs', 'system:authenticated'],
      sourceIps: ['10.0.0.1'],
      resource: 'deployments',
      subresource: 'scale',
      code: 201,
    },
    {
      auditId: 'a1',
      stage: 'RequestReceived',
      received: '2024-05-01T12:00:00.000000Z',
      namespace: 'demo',
      workspace: 'ws-demo',
      name: 'web-1',
      verb: 'create',
      level: 'RequestResponse',
      username: 'Alice',
      groups: ['devs', 'system:authenticated'],
      sourceIps: ['10.0.0.1'],
      resource: 'deployments',
      subresource: 'scale',
      code: 201,
    },
    {
      auditId: 'a2',
      received: '2024-05-01T12:00:01.000000Z',
      namespace: 'demo',
      workspace: 'ws-demo',
      name: 'web-2',
      verb: 'delete',
      username: 'bob',
      groups: ['ops'],
      sourceIps: ['10.0.0.2', '192.168.1.5'],
      resource: 'pods',
      code: 404,
      status: 'Failure',
    },
    {
      auditId: 'a3',
      // The last microsecond of 12:00:02.000: still inside an endTime of 12:00:02.000 (an inclusive millisecond).
      received: '2024-05-01T12:00:02.000999Z',
      namespace: 'prod',
      workspace: 'ws-prod',
      name: 'db',
      verb: 'get',
      username: 'system:serviceaccount:prod:db',
      resource: 'secrets',
      code: 403,
      status: 'Failure',
      message: 'Forbidden: secret access',
    },
    {
      auditId: 'a4',
      received: '2024-05-01T12:00:03.000000Z',
      namespace: '',
      workspace: '',
      name: 'node-1',
      verb: 'update',
      username: 'system:node:node-1',
      resource: 'nodes',
      subresource: 'status',
    },
    {
      auditId: 'a5',
      received: '2024-05-01T12:00:04.000000Z',
      namespace: '',
      workspace: 'ws-demo',
      name: 'ws-demo',
      verb: 'create',
      username: 'admin',
      resource: 'workspaces',
      source: 'kubesphere',
    },
    {
      auditId: 'a6',
      received: '2024-05-01T12:00:05.000000Z',
      namespace: 'prod',
      workspace: 'ws-prod',
      name: 'cfg_50%',
      username: 'admin',
      resource: 'configmaps',
    },
    {
      auditId: 'a7',
      received: '2024-05-01T12:00:06.000000Z',
      namespace: 'prod',
      workspace: 'ws-prod',
      name: 'cfgX50abc',
      username: 'admin',
      resource: 'configmaps',
    },
  ];

  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ store, remove } = await openSharedStore());
    await store.append(seed.map((fields) => sampleRecord(fields)));
  });
  afterAll(() => remove());

  test.each<{ name: string; filter: ArchiveFilter; expected: string[] }>([
    { name: 'startTime is inclusive', filter: { startTime: t0 + 4000 }, expected: ['a5', 'a6', 'a7'] },
    {
      name: 'endTime includes the whole millisecond',
      filter: { endTime: t0 + 2000 },
      expected: ['a1', 'a1', 'a2', 'a3'],
    },
    {
      name: 'a time range keeps both ends',
      filter: { startTime: t0 + 1000, endTime: t0 + 3000 },
      expected: ['a2', 'a3', 'a4'],
    },
    {
      name: 'workspaces match exactly, ORed',
      filter: { workspaces: ['ws-prod', 'nope'] },
      expected: ['a3', 'a6', 'a7'],
    },
    {
      name: 'workspace search is a case-insensitive substring',
      filter: { workspaceSearch: ['DEMO'] },
      expected: ['a1', 'a1', 'a2', 'a5'],
    },
    {
      name: 'namespaces match exactly, ORed',
      filter: { namespaces: ['demo', 'prod'] },
      expected: ['a1', 'a1', 'a2', 'a3', 'a6', 'a7'],
    },
    { name: 'namespace search finds a substring', filter: { namespaceSearch: ['ro'] }, expected: ['a3', 'a6', 'a7'] },
    { name: 'names match exactly', filter: { names: ['web-1'] }, expected: ['a1', 'a1'] },
    { name: 'exact names are case-sensitive, like .keyword', filter: { names: ['WEB-1'] }, expected: [] },
    { name: 'name search ORs its values', filter: { nameSearch: ['web-2', 'node'] }, expected: ['a2', 'a4'] },
    { name: 'name search treats _ and % as characters', filter: { nameSearch: ['_50%'] }, expected: ['a6'] },
    { name: 'verbs', filter: { verbs: ['create', 'delete'] }, expected: ['a1', 'a1', 'a2', 'a5'] },
    { name: 'levels', filter: { levels: ['RequestResponse'] }, expected: ['a1', 'a1'] },
    { name: 'stages', filter: { stages: ['RequestReceived'] }, expected: ['a1'] },
    { name: 'sources', filter: { sources: ['kubesphere'] }, expected: ['a5'] },
    { name: 'users match exactly and case-sensitively', filter: { users: ['Alice', 'alice'] }, expected: ['a1', 'a1'] },
    { name: 'user search ignores case', filter: { userSearch: ['ALI'] }, expected: ['a1', 'a1'] },
    {
      name: 'group search looks inside the comma-joined groups',
      filter: { groupSearch: ['devs,system'] },
      expected: ['a1', 'a1'],
    },
    {
      name: 'source IP search finds any of several IPs',
      filter: { sourceIpSearch: ['192.168.1.5'] },
      expected: ['a2'],
    },
    { name: 'resources match by prefix', filter: { resources: ['deploy', 'secret'] }, expected: ['a1', 'a1', 'a3'] },
    { name: 'resource prefixes ignore case', filter: { resources: ['DEPLOY'] }, expected: ['a1', 'a1'] },
    { name: 'a resource prefix is not a substring search', filter: { resources: ['ployments'] }, expected: [] },
    { name: 'subresources match by prefix', filter: { subresources: ['stat'] }, expected: ['a4'] },
    { name: 'response codes', filter: { responseCodes: [403, 404] }, expected: ['a2', 'a3'] },
    { name: 'response statuses', filter: { responseStatuses: ['Failure'] }, expected: ['a2', 'a3'] },
    { name: 'text searches the URI and the message, ignoring case', filter: { text: 'FORBIDDEN' }, expected: ['a3'] },
    { name: 'text searches the request URI', filter: { text: '/namespaces/prod/secrets' }, expected: ['a3'] },
    { name: 'different filters are ANDed', filter: { namespaces: ['demo'], verbs: ['delete'] }, expected: ['a2'] },
    {
      name: 'empty lists do not filter',
      filter: { namespaces: [], verbs: [] },
      expected: ['a1', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'],
    },
  ])('$name', async ({ filter, expected }) => {
    const result = await store.query({ ...filter, sort: 'asc', size: 100 }, all);
    expect(ids(result.records)).toEqual(expected);
    expect(result.total).toBe(expected.length);
  });
});

describe('SqliteEventStore tenant scope', () => {
  let store: SqliteEventStore;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ store, remove } = await openSharedStore());
    await store.append(
      [
        // A namespace `demo` deleted and re-created at t0 + 10s: the first event belongs to its predecessor.
        { auditId: 'old-demo', received: t0, namespace: 'demo', workspace: 'ws-demo' },
        { auditId: 'demo', received: t0 + 20_000, namespace: 'demo', workspace: 'ws-demo' },
        { auditId: 'prod', received: t0 + 20_000, namespace: 'prod', workspace: 'ws-prod' },
        { auditId: 'ws-level', received: t0 + 20_000, namespace: '', workspace: 'ws-demo', resource: 'workspaces' },
        { auditId: 'cluster', received: t0 + 20_000, namespace: '', workspace: '', resource: 'nodes' },
        { auditId: 'no-ws', received: t0 + 20_000, namespace: 'loose', workspace: '' },
      ].map((fields) => sampleRecord(fields)),
    );
  });
  afterAll(() => remove());

  const tenant = (scope: Partial<Omit<Extract<ArchiveScope, { kind: 'tenant' }>, 'kind'>>): ArchiveScope => ({
    kind: 'tenant',
    namespaces: [],
    workspaces: [],
    clusterLevel: false,
    ...scope,
  });

  test.each<{ name: string; scope: ArchiveScope; filter?: ArchiveFilter; expected: string[] }>([
    {
      name: 'a project member sees only that namespace',
      scope: tenant({ namespaces: [{ name: 'demo', sinceMs: 0 }] }),
      expected: ['old-demo', 'demo'],
    },
    {
      name: "a re-created namespace hides its predecessor's events",
      scope: tenant({ namespaces: [{ name: 'demo', sinceMs: t0 + 10_000 }] }),
      expected: ['demo'],
    },
    {
      name: 'a workspace member sees its namespaces and workspace-level events',
      scope: tenant({ workspaces: [{ name: 'ws-demo', sinceMs: t0 + 10_000 }] }),
      expected: ['demo', 'ws-level'],
    },
    {
      name: 'cluster-level events need clusterLevel and have no namespace and no workspace',
      scope: tenant({ clusterLevel: true }),
      expected: ['cluster'],
    },
    {
      name: 'namespaces, workspaces and cluster level add up',
      scope: tenant({
        namespaces: [{ name: 'loose', sinceMs: 0 }],
        workspaces: [{ name: 'ws-prod', sinceMs: 0 }],
        clusterLevel: true,
      }),
      expected: ['prod', 'cluster', 'no-ws'],
    },
    {
      name: 'filters narrow within the scope',
      scope: tenant({
        namespaces: [
          { name: 'demo', sinceMs: 0 },
          { name: 'prod', sinceMs: 0 },
        ],
      }),
      filter: { namespaces: ['prod', 'loose'] },
      expected: ['prod'],
    },
    {
      name: 'the whole archive is in scope for kind all',
      scope: all,
      expected: ['old-demo', 'demo', 'prod', 'ws-level', 'cluster', 'no-ws'],
    },
  ])('$name', async ({ scope, filter, expected }) => {
    const result = await store.query({ ...filter, sort: 'asc' }, scope);
    expect(ids(result.records)).toEqual(expected);
    expect(result.total).toBe(expected.length);
    expect((await store.statistics(filter ?? {}, scope)).events).toBe(expected.length);
  });

  test.each([
    { name: 'newest first', sort: 'desc' as const },
    { name: 'oldest first', sort: 'asc' as const },
  ])('pages $name through overlapping namespaces and workspaces without repeats or gaps', async ({ sort }) => {
    const { store: own } = await openTempStore();
    // Namespaces a and b belong to workspace w, c to none; every fifth event is cluster-level.
    const places = [
      { namespace: 'a', workspace: 'w' },
      { namespace: 'b', workspace: 'w' },
      { namespace: 'c', workspace: '' },
      { namespace: 'd', workspace: 'other' },
      { namespace: '', workspace: '' },
    ];
    const seeded = Array.from({ length: 60 }, (_, index) =>
      sampleRecord({ auditId: `e${index}`, received: t0 + Math.floor(index / 2) * 1000, ...places[index % 5] }),
    );
    await own.append(seeded);
    const scope = tenant({
      namespaces: [
        { name: 'a', sinceMs: 0 },
        { name: 'c', sinceMs: t0 + 10_000 },
      ],
      workspaces: [{ name: 'w', sinceMs: 0 }],
      clusterLevel: true,
    });
    const visible = seeded
      .map((record, index) => ({ id: record.event.AuditID, place: places[index % 5]!, index }))
      .filter(({ place, index }) => place.namespace !== 'd' && (place.namespace !== 'c' || index >= 20))
      .map(({ id }) => id);
    const expected = sort === 'asc' ? visible : [...visible].reverse();
    const seen: string[] = [];
    for (let from = 0; from < expected.length + 7; from += 7) {
      const page = await own.query({ sort, from, size: 7 }, scope);
      expect(page.total).toBe(expected.length);
      seen.push(...ids(page.records));
    }
    expect(seen).toEqual(expected);
  });

  test('an empty tenant scope answers empty without reading the database', async () => {
    const { store: closed } = await openTempStore();
    await closed.append([sampleRecord()]);
    await closed.close();
    // A closed store can no longer read: these answers come without touching it.
    const nothing = tenant({});
    expect(await closed.query({}, nothing)).toEqual({ total: 0, records: [] });
    expect(await closed.statistics({}, nothing)).toEqual({ resources: 0, events: 0 });
    expect(await closed.histogram({}, nothing, '15m')).toEqual({ total: 0, buckets: [] });
    const pages = [];
    for await (const page of closed.iterate({}, nothing)) pages.push(page);
    expect(pages).toEqual([]);
  });
});

describe('SqliteEventStore paging', () => {
  let store: SqliteEventStore;
  let remove: () => Promise<void>;
  const namespace = 'paging';
  beforeAll(async () => {
    ({ store, remove } = await openSharedStore());
    // e0…e24 one second apart, plus two events sharing e24's timestamp, appended in the order tie-a, tie-b.
    const records = Array.from({ length: 25 }, (_, index) =>
      sampleRecord({ auditId: `e${index}`, received: t0 + index * 1000, namespace }),
    );
    records.push(sampleRecord({ auditId: 'tie-a', received: t0 + 24_000, namespace }));
    records.push(sampleRecord({ auditId: 'tie-b', received: t0 + 24_000, namespace }));
    await store.append(records);
  });
  afterAll(() => remove());

  test.each<{ name: string; query: ArchiveQuery; expected: string[] }>([
    {
      name: 'newest first by default, 10 per page',
      query: {},
      expected: ['tie-b', 'tie-a', 'e24', 'e23', 'e22', 'e21', 'e20', 'e19', 'e18', 'e17'],
    },
    { name: 'oldest first with sort asc', query: { sort: 'asc', size: 3 }, expected: ['e0', 'e1', 'e2'] },
    { name: 'from skips records', query: { sort: 'asc', from: 5, size: 2 }, expected: ['e5', 'e6'] },
    {
      name: 'equal timestamps keep arrival order',
      query: { sort: 'asc', from: 24, size: 5 },
      expected: ['e24', 'tie-a', 'tie-b'],
    },
    { name: 'a page past the end is empty', query: { from: 27 }, expected: [] },
    { name: 'size 0 returns only the total', query: { size: 0 }, expected: [] },
  ])('$name, with the total of all matches', async ({ query, expected }) => {
    const result = await store.query({ ...query, namespaces: [namespace] }, all);
    expect(ids(result.records)).toEqual(expected);
    expect(result.total).toBe(27);
  });

  test('rejects a negative offset and a page over the maximum size', async () => {
    await expect(store.query({ from: -1 }, all)).rejects.toThrow(/from must be/);
    await expect(store.query({ size: 10_001 }, all)).rejects.toThrow(/size must be .* 0 to 10000/);
  });

  test('iterate walks every match oldest first in pages of the requested size', async () => {
    const pages: string[][] = [];
    for await (const page of store.iterate({ namespaces: [namespace] }, all, 10)) pages.push(ids(page));
    expect(pages.map((page) => page.length)).toEqual([10, 10, 7]);
    expect(pages.flat()).toEqual([...Array.from({ length: 25 }, (_, index) => `e${index}`), 'tie-a', 'tie-b']);
  });

  test('iterate neither repeats nor skips rows when events arrive during the export', async () => {
    const { store: growing } = await openTempStore();
    await growing.append(
      Array.from({ length: 6 }, (_, index) => sampleRecord({ auditId: `x${index}`, received: t0 + index })),
    );
    const seen: string[] = [];
    for await (const page of growing.iterate({}, all, 2)) {
      seen.push(...ids(page));
      // Newer than everything so far: an export that pages by cursor picks it up once, at the end.
      if (seen.length === 2) await growing.append([sampleRecord({ auditId: 'late', received: t0 + 100 })]);
    }
    expect(seen).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'late']);
  });
});

describe('SqliteEventStore statistics', () => {
  test('counts distinct requests as resources and every stage as an event', async () => {
    const { store } = await openTempStore();
    await store.append([
      sampleRecord({ auditId: 'a', stage: 'RequestReceived', verb: 'create' }),
      sampleRecord({ auditId: 'a', stage: 'ResponseComplete', verb: 'create' }),
      sampleRecord({ auditId: 'b', verb: 'create' }),
      sampleRecord({ auditId: 'c', verb: 'get' }),
    ]);
    expect(await store.statistics({ verbs: ['create'] }, all)).toEqual({ resources: 2, events: 3 });
  });
});

describe('SqliteEventStore histogram', () => {
  let store: SqliteEventStore;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ store, remove } = await openSharedStore());
  });
  afterAll(() => remove());

  test.each<{ name: string; interval: string; received: string[]; expected: Array<[string, number]> }>([
    {
      name: 'minute buckets include the empty minutes between events',
      interval: '1m',
      received: ['2024-05-01T12:00:10.000000Z', '2024-05-01T12:00:50.000000Z', '2024-05-01T12:03:00.000000Z'],
      expected: [
        ['2024-05-01T12:00:00.000Z', 2],
        ['2024-05-01T12:01:00.000Z', 0],
        ['2024-05-01T12:02:00.000Z', 0],
        ['2024-05-01T12:03:00.000Z', 1],
      ],
    },
    {
      name: '15-minute buckets split at the microsecond',
      interval: '15m',
      received: ['2024-05-01T12:14:59.999999Z', '2024-05-01T12:15:00.000000Z'],
      expected: [
        ['2024-05-01T12:00:00.000Z', 1],
        ['2024-05-01T12:15:00.000Z', 1],
      ],
    },
    {
      name: 'multi-hour buckets are aligned to the epoch',
      interval: '2h',
      received: ['2024-05-01T13:30:00.000000Z', '2024-05-01T14:00:00.000000Z'],
      expected: [
        ['2024-05-01T12:00:00.000Z', 1],
        ['2024-05-01T14:00:00.000Z', 1],
      ],
    },
    {
      name: 'day buckets are UTC days',
      interval: '1d',
      received: ['2024-05-01T23:59:59.999999Z', '2024-05-02T00:00:00.000000Z', '2024-05-02T08:00:00+08:00'],
      expected: [
        ['2024-05-01T00:00:00.000Z', 1],
        ['2024-05-02T00:00:00.000Z', 2],
      ],
    },
    {
      name: 'weeks start on Monday',
      interval: '1w',
      // Sunday 5 May and Monday 6 May 2024.
      received: ['2024-05-05T10:00:00.000000Z', '2024-05-06T00:00:00.000000Z'],
      expected: [
        ['2024-04-29T00:00:00.000Z', 1],
        ['2024-05-06T00:00:00.000Z', 1],
      ],
    },
    {
      name: 'months are calendar months of different lengths',
      interval: '1M',
      received: [
        '2024-01-31T23:59:59.000000Z',
        '2024-02-01T00:00:00.000000Z',
        '2024-02-29T12:00:00.000000Z',
        '2024-04-01T00:00:00.000000Z',
      ],
      expected: [
        ['2024-01-01T00:00:00.000Z', 1],
        ['2024-02-01T00:00:00.000Z', 2],
        ['2024-03-01T00:00:00.000Z', 0],
        ['2024-04-01T00:00:00.000Z', 1],
      ],
    },
    {
      name: 'quarters start in January, April, July and October',
      interval: '1q',
      received: ['2024-03-31T23:00:00.000000Z', '2024-04-01T00:00:00.000000Z', '2024-08-15T00:00:00.000000Z'],
      expected: [
        ['2024-01-01T00:00:00.000Z', 1],
        ['2024-04-01T00:00:00.000Z', 1],
        ['2024-07-01T00:00:00.000Z', 1],
      ],
    },
    {
      name: 'years are calendar years',
      interval: '1y',
      received: ['2023-12-31T23:59:59.999999Z', '2024-01-01T00:00:00.000000Z'],
      expected: [
        ['2023-01-01T00:00:00.000Z', 1],
        ['2024-01-01T00:00:00.000Z', 1],
      ],
    },
  ])('$name ($interval)', async ({ interval, received, expected }) => {
    const namespace = ownNamespace();
    await store.append(received.map((time) => sampleRecord({ received: time, namespace })));
    const histogram = await store.histogram({ namespaces: [namespace] }, all, interval);
    expect(histogram.buckets.map((bucket) => [new Date(bucket.time).toISOString(), bucket.count])).toEqual(expected);
    expect(histogram.total).toBe(received.length);
  });

  test('is empty when nothing matches', async () => {
    expect(await store.histogram({ namespaces: [ownNamespace()] }, all, '15m')).toEqual({ total: 0, buckets: [] });
  });

  test('rejects an interval that is not KubeSphere syntax', async () => {
    await expect(store.histogram({}, all, '15 minutes')).rejects.toThrow(HistogramError);
  });

  test('rejects a histogram that would need too many buckets, as Elasticsearch does', async () => {
    const namespace = ownNamespace();
    await store.append([
      sampleRecord({ received: '2024-05-01T00:00:00Z', namespace }),
      sampleRecord({ received: '2024-05-03T00:00:00Z', namespace }),
    ]);
    await expect(store.histogram({ namespaces: [namespace] }, all, '1s')).rejects.toThrow(/172801 buckets/);
  });
});
