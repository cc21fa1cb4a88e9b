import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { normaliseBatch, PayloadError } from './normalise.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8'));

describe('normaliseBatch', () => {
  test('maps a kube-apiserver EventList onto the KubeSphere field names', () => {
    const batch = normaliseBatch(fixture('k8s-eventlist-metadata.json'), {
      workspaceOf: (ns) => (ns === 'kube-system' ? 'system-workspace' : undefined),
    });
    expect(batch.source).toBe('kubernetes');
    expect(batch.events).toHaveLength(2);
    const [watch, create] = batch.events;
    expect(watch).toMatchObject({
      AuditID: '3e7440c0-b31f-4001-9fef-4af71498b18d',
      Stage: 'ResponseComplete',
      Level: 'Metadata',
      Verb: 'watch',
      User: { username: 'system:node:w1-k8s', groups: ['system:nodes', 'system:authenticated'] },
      ObjectRef: { Resource: 'configmaps', Namespace: 'kube-system', Name: 'kube-root-ca.crt', APIVersion: 'v1' },
      ResponseStatus: { code: 403, reason: 'Forbidden', status: 'Failure' },
      Workspace: 'system-workspace',
      Source: 'kubernetes',
    });
    expect(watch?.RequestURI).toContain('&fieldSelector=');
    expect(create?.RequestObject).toMatchObject({ kind: 'Namespace', metadata: { name: 'rising' } });
    expect(create?.Workspace).toBe('');
  });

  test('reads a ks-apiserver batch and lower-cases the verb', () => {
    const batch = normaliseBatch(fixture('kubesphere-items.json'));
    expect(batch.source).toBe('kubesphere');
    expect(batch.events[0]).toMatchObject({
      Verb: 'create',
      Workspace: 'demo',
      ObjectRef: { Resource: 'namespaces', Name: 'demo-project', ResourceVersion: 'Workspace' },
      ResponseStatus: { code: 200 },
      Source: 'kubesphere',
    });
    expect(batch.events[0]).not.toHaveProperty('RequestObject');
  });

  test('matches keys case-insensitively, as Go encoding/json does', () => {
    const batch = normaliseBatch({
      ITEMS: [
        {
          AUDITID: 'x-1',
          stage: 'responsecomplete',
          LEVEL: 'metadata',
          verb: 'Get',
          USER: { USERNAME: 'bob' },
          objectref: { resource: 'pods', NAMESPACE: 'demo' },
          requestreceivedtimestamp: '2026-01-01T00:00:00.000001Z',
          stagetimestamp: '2026-01-01T00:00:00.000002Z',
        },
      ],
    });
    expect(batch.events[0]).toMatchObject({
      AuditID: 'x-1',
      Stage: 'ResponseComplete',
      Level: 'Metadata',
      Verb: 'get',
      User: { username: 'bob' },
      ObjectRef: { Resource: 'pods', Namespace: 'demo' },
    });
  });

  const valid = {
    level: 'Metadata',
    auditID: 'a',
    stage: 'ResponseComplete',
    verb: 'get',
    requestURI: '/api',
    user: {},
    requestReceivedTimestamp: '2026-01-01T00:00:00Z',
    stageTimestamp: '2026-01-01T00:00:00Z',
  };
  test.each([
    { name: 'a body that is a list', body: [], field: undefined, message: /JSON object/ },
    { name: 'a body without items', body: { events: [] }, field: undefined, message: /no items list/ },
    { name: 'items that are not a list', body: { items: {} }, field: 'items', message: /must be a list/ },
    {
      name: 'a missing auditID',
      body: { items: [valid, { ...valid, auditID: undefined }] },
      field: 'items[1].auditID',
      message: /required/,
    },
    {
      name: 'an unknown stage',
      body: { items: [{ ...valid, stage: 'Done' }] },
      field: 'items[0].stage',
      message: /one of RequestReceived/,
    },
    {
      name: 'a bad timestamp',
      body: { items: [{ ...valid, stageTimestamp: 'yesterday' }] },
      field: 'items[0].stageTimestamp',
      message: /RFC 3339/,
    },
    {
      name: 'a non-integer status code',
      body: { items: [{ ...valid, responseStatus: { code: '200' } }] },
      field: 'items[0].responseStatus.code',
      message: /integer/,
    },
    {
      name: 'groups that are not strings',
      body: { Items: [{ ...valid, user: { groups: [1] } }] },
      field: 'Items[0].user.groups',
      message: /list of strings/,
    },
  ])('rejects $name with 422 naming the field', ({ body, field, message }) => {
    let error: unknown;
    try {
      normaliseBatch(body);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).status).toBe(422);
    expect((error as PayloadError).field).toBe(field);
    expect((error as PayloadError).message).toMatch(message);
  });
});
