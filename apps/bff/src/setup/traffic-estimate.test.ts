import { describe, expect, test } from 'vitest';
import { auditPolicy } from './audit-policy.ts';
import type { AuditPolicy } from './audit-policy-schema.ts';
import { estimateTraffic } from './traffic-estimate.ts';

const hour = 3_600_000;
const everythingAtMetadata: AuditPolicy = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  rules: [{ level: 'Metadata' }],
};

describe('estimateTraffic', () => {
  test('an hour of traffic is scaled to a day, two events per request unless RequestReceived is omitted', () => {
    const window = { fromMs: 0, toMs: hour, samples: [{ verb: 'get', group: '', resource: 'pods', count: 10 }] };
    const full = estimateTraffic(everythingAtMetadata, window);
    const omitted = estimateTraffic({ ...everythingAtMetadata, omitStages: ['RequestReceived'] }, window);
    expect(full).toMatchObject({ available: true, eventsPerDay: 480, sampledRequests: 10, windowHours: 1 });
    expect(omitted).toMatchObject({ available: true, eventsPerDay: 240 });
  });

  test('watches also emit ResponseStarted', () => {
    const estimate = estimateTraffic(
      { ...everythingAtMetadata, omitStages: ['RequestReceived'] },
      { fromMs: 0, toMs: hour, samples: [{ verb: 'watch', group: '', resource: 'pods', count: 1 }] },
    );
    expect(estimate).toMatchObject({ eventsPerDay: 48 });
  });

  test('what the policy drops counts for nothing, and the biggest contributors come first', () => {
    const estimate = estimateTraffic(auditPolicy('recommended'), {
      fromMs: 0,
      toMs: hour,
      samples: [
        { verb: 'update', group: 'coordination.k8s.io', resource: 'leases', count: 1000 },
        { verb: 'create', group: '', resource: 'pods', namespace: 'demo', count: 2 },
        { verb: 'list', group: 'apps', resource: 'deployments', namespace: 'demo', count: 5 },
      ],
    });
    if (!estimate.available) throw new Error(estimate.reason);
    expect(estimate.eventsPerDayByLevel).toMatchObject({ None: 0, Metadata: 120, Request: 48 });
    expect(estimate.top.map((line) => `${line.verb} ${line.resource} ${line.level}`)).toEqual([
      'list deployments.apps Metadata',
      'create pods Request',
    ]);
  });

  test('with no traffic it says so instead of guessing', () => {
    expect(estimateTraffic(everythingAtMetadata, undefined)).toMatchObject({ available: false });
    expect(estimateTraffic(everythingAtMetadata, { fromMs: 0, toMs: hour, samples: [] })).toMatchObject({
      available: false,
    });
  });
});
