import { describe, expect, test } from 'vitest';
import { type Json, mergeKubeObjects } from './three-way-merge.ts';

type KubeJson = { [key: string]: Json };

/** The Webhook as a user opened it, as the server sends it (server-owned metadata, status). */
const base: KubeJson = {
  apiVersion: 'auditing.kubesphere.io/v1alpha1',
  kind: 'Webhook',
  metadata: {
    creationTimestamp: '2026-12-02T19:00:00Z',
    generation: 1,
    managedFields: [{ manager: 'kubectl' }],
    name: 'kube-auditing-webhook',
    resourceVersion: '100',
    uid: 'u-1',
  },
  spec: { replicas: 2, auditLevel: 'Metadata', receivers: [{ name: 'alert', type: 'alertmanager' }] },
  status: { observed: 1 },
};

/** The editor's draft: managedFields hidden, as the editor shows it by default. */
function draft(spec: KubeJson): KubeJson {
  const { managedFields: _hidden, ...metadata } = base.metadata as KubeJson;
  return { ...base, metadata, spec: { ...(base.spec as KubeJson), ...spec } };
}

function serverChange(change: { spec?: KubeJson; annotations?: KubeJson }): KubeJson {
  return {
    ...base,
    metadata: {
      ...(base.metadata as KubeJson),
      ...(change.annotations ? { annotations: change.annotations } : {}),
      generation: 2,
      managedFields: [{ manager: 'kubectl' }, { manager: 'kubectl-patch' }],
      resourceVersion: '117',
    },
    spec: { ...(base.spec as KubeJson), ...change.spec },
    status: { observed: 2 },
  };
}

describe('mergeKubeObjects', () => {
  test.each([
    {
      name: 'edits of different fields are combined without asking',
      yours: draft({ auditLevel: 'Request' }),
      theirs: serverChange({ spec: { replicas: 3 } }),
      choices: new Map(),
      spec: { replicas: 3, auditLevel: 'Request' },
      conflicts: [],
    },
    {
      name: 'a field both changed is a conflict; keeping yours takes your value',
      yours: draft({ replicas: 5 }),
      theirs: serverChange({ spec: { replicas: 4 }, annotations: { who: 'them' } }),
      choices: new Map([['spec.replicas', 'yours' as const]]),
      spec: { replicas: 5 },
      conflicts: ['spec.replicas'],
    },
    {
      name: 'a field both changed, taking theirs',
      yours: draft({ replicas: 5 }),
      theirs: serverChange({ spec: { replicas: 4 } }),
      choices: new Map([['spec.replicas', 'theirs' as const]]),
      spec: { replicas: 4 },
      conflicts: ['spec.replicas'],
    },
  ])('$name', ({ yours, theirs, choices, spec, conflicts }) => {
    const outcome = mergeKubeObjects(base, yours, theirs, choices);
    expect(outcome.conflicts.map((conflict) => conflict.path)).toEqual(conflicts);
    expect(outcome.merged.spec).toMatchObject(spec);
  });

  test('the result carries the server’s own fields and status as they are now, in the server’s order', () => {
    const theirs = serverChange({ spec: { replicas: 3 }, annotations: { who: 'them' } });
    const { merged } = mergeKubeObjects(base, draft({ auditLevel: 'Request' }), theirs);
    expect(merged.metadata).toEqual({ ...(theirs.metadata as KubeJson) });
    expect(Object.keys(merged.metadata as KubeJson)).toEqual(Object.keys(theirs.metadata as KubeJson));
    expect(Object.keys(merged)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    // A CRD without a status subresource stores status with the object: the save must not drop it.
    expect(merged.status).toEqual({ observed: 2 });
  });
});
