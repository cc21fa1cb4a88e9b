import type { AuditEvent } from '@auditorium/audit-model';
import { describe, expect, test } from 'vitest';
import { auditingAlert, goTimeString } from './postable-alert.ts';

describe('goTimeString', () => {
  test.each([
    {
      name: 'microseconds',
      timestamp: '2024-05-01T08:00:00.123456Z',
      expected: '2024-05-01 08:00:00.123456 +0000 UTC',
    },
    {
      name: 'trailing zeros trimmed',
      timestamp: '2024-05-01T08:00:00.120000Z',
      expected: '2024-05-01 08:00:00.12 +0000 UTC',
    },
    {
      name: 'a zero fraction dropped',
      timestamp: '2024-05-01T08:00:00.000000Z',
      expected: '2024-05-01 08:00:00 +0000 UTC',
    },
    { name: 'no fraction', timestamp: '2024-05-01T08:00:00Z', expected: '2024-05-01 08:00:00 +0000 UTC' },
    {
      name: 'an offset converted to UTC',
      timestamp: '2024-05-01T10:30:00.5+02:30',
      expected: '2024-05-01 08:00:00.5 +0000 UTC',
    },
    {
      name: 'nanoseconds kept',
      timestamp: '2024-05-01T08:00:00.123456789Z',
      expected: '2024-05-01 08:00:00.123456789 +0000 UTC',
    },
  ])('formats $name as Go time.String() does', ({ timestamp, expected }) => {
    expect(goTimeString(timestamp)).toBe(expected);
  });
});

describe('auditingAlert', () => {
  test('carries exactly KubeSphere labels and the message annotation', () => {
    const event = {
      AuditID: 'a',
      Verb: 'create',
      User: { username: 'alice', groups: ['system:authenticated', 'devs'] },
      ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-0', Subresource: 'exec' },
      RequestReceivedTimestamp: '2024-05-01T08:00:00.123456Z',
    } as AuditEvent;
    expect(auditingAlert(event, 'AttachOrExecPod', 'alice exec Pod web-0 in Namespace demo.')).toEqual({
      labels: {
        alertname: 'AttachOrExecPod',
        alerttype: 'auditing',
        namespace: 'demo',
        resource: 'pods',
        name: 'web-0',
        user: 'alice',
        group: '["system:authenticated","devs"]',
        verb: 'create',
        requestReceivedTimestamp: '2024-05-01 08:00:00.123456 +0000 UTC',
      },
      annotations: { message: 'alice exec Pod web-0 in Namespace demo.' },
    });
  });

  test('writes absent groups as null, as Go marshals a nil slice', () => {
    const event = { Verb: 'delete', User: {}, RequestReceivedTimestamp: '2024-05-01T08:00:00Z' } as AuditEvent;
    expect(auditingAlert(event, 'r', 'm').labels).toMatchObject({ group: 'null', namespace: '', user: '' });
  });
});
