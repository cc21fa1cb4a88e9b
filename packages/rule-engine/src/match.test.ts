import { describe, expect, test } from 'vitest';
import { flattenEvent } from './flatten.ts';
import { matchEvent } from './match.ts';
import { loadRules } from './rule-loader.ts';
import type { RuleCR } from './rule-types.ts';
import { shippedRuleCRs, shippedWebhookSettings } from './testdata/kubesphere-v3.4-rules.ts';

/**
 * An event in the shape ks-apiserver posts and the receiver normalises to (reference §5.2): Go field names,
 * lower-case keys inside User and ResponseStatus, Request/ResponseObject as raw JSON text when the audit
 * level records them.
 */
function kubesphereEvent(overrides: {
  Verb: string;
  ObjectRef: Record<string, string>;
  Level?: string;
  RequestObject?: unknown;
  code?: number;
}): Record<string, unknown> {
  return {
    Devops: '',
    Workspace: 'demo-ws',
    Cluster: '',
    Message: '',
    Level: overrides.Level ?? 'Metadata',
    AuditID: '6c1c8c2e-1f4c-4a8e-9a57-0d7a3a0d9f10',
    Stage: 'ResponseComplete',
    RequestURI: `/api/v1/namespaces/${overrides.ObjectRef.Namespace ?? ''}/${overrides.ObjectRef.Resource ?? ''}`,
    Verb: overrides.Verb,
    User: { username: 'alice', uid: 'b1d2', groups: ['system:authenticated'] },
    ImpersonatedUser: null,
    SourceIPs: ['10.0.0.8'],
    UserAgent: 'kubectl/v1.29.0 (linux/amd64) kubernetes/abcdef',
    ObjectRef: {
      Resource: '',
      Namespace: '',
      Name: '',
      UID: '',
      APIGroup: '',
      APIVersion: 'v1',
      ResourceVersion: 'Namespace',
      Subresource: '',
      ...overrides.ObjectRef,
    },
    ResponseStatus: { metadata: {}, code: overrides.code ?? 200 },
    RequestObject: overrides.RequestObject ?? null,
    ResponseObject: null,
    RequestReceivedTimestamp: '2024-05-01T08:00:00.123456Z',
    StageTimestamp: '2024-05-01T08:00:00.223456Z',
    Annotations: null,
  };
}

const podSpec = (spec: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'demo' }, spec });

const shipped = loadRules(shippedRuleCRs, shippedWebhookSettings).rules;

describe('matchEvent with the shipped KubeSphere 3.4 rules', () => {
  test.each([
    {
      name: 'does not archive a get',
      event: kubesphereEvent({ Verb: 'get', ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1' } }),
      archive: false,
      matched: [],
      alerts: [],
    },
    {
      name: 'does not archive a list',
      event: kubesphereEvent({ Verb: 'list', ObjectRef: { Resource: 'configmaps', Namespace: 'demo' } }),
      archive: false,
      matched: [],
      alerts: [],
    },
    {
      name: 'does not archive a watch',
      event: kubesphereEvent({ Verb: 'watch', ObjectRef: { Resource: 'pods' } }),
      archive: false,
      matched: [],
      alerts: [],
    },
    {
      name: 'archives a create configmap without an alert',
      event: kubesphereEvent({ Verb: 'create', ObjectRef: { Resource: 'configmaps', Namespace: 'demo', Name: 'cfg' } }),
      archive: true,
      matched: ['archiving', 'ResourceChange'],
      alerts: [],
    },
    {
      name: 'archives a delete pod without an alert',
      event: kubesphereEvent({ Verb: 'delete', ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1' } }),
      archive: true,
      matched: ['archiving', 'ResourceChange'],
      alerts: [],
    },
    {
      name: 'archives a verb outside the action list, such as deletecollection, without ResourceChange',
      event: kubesphereEvent({ Verb: 'deletecollection', ObjectRef: { Resource: 'pods', Namespace: 'demo' } }),
      archive: true,
      matched: ['archiving'],
      alerts: [],
    },
    {
      name: 'raises AttachOrExecPod for a create pods/exec',
      event: kubesphereEvent({
        Verb: 'create',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1', Subresource: 'exec' },
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange', 'AttachOrExecPod'],
      alerts: [['AttachOrExecPod', 'alice exec Pod web-1 in Namespace demo.']],
    },
    {
      name: 'raises AttachOrExecPod for a create pods/attach',
      event: kubesphereEvent({
        Verb: 'create',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1', Subresource: 'attach' },
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange', 'AttachOrExecPod'],
      alerts: [['AttachOrExecPod', 'alice attach Pod web-1 in Namespace demo.']],
    },
    {
      name: 'does not alert for a create pods/log',
      event: kubesphereEvent({
        Verb: 'create',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1', Subresource: 'log' },
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange'],
      alerts: [],
    },
    {
      name: 'cannot see hostNetwork at Metadata level, so only archives a pod create',
      event: kubesphereEvent({ Verb: 'create', ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1' } }),
      archive: true,
      matched: ['archiving', 'ResourceChange'],
      alerts: [],
    },
    {
      name: 'raises CreateHostnetworkPod at Request level from the raw request JSON',
      event: kubesphereEvent({
        Verb: 'create',
        Level: 'Request',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1' },
        RequestObject: podSpec({ hostNetwork: true, containers: [{ name: 'app', image: 'nginx' }] }),
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange', 'CreateHostnetworkPod'],
      alerts: [['CreateHostnetworkPod', 'alice create HostNetwork Pod web-1 in Namespace demo.']],
    },
    {
      name: 'raises CreateHostportPod for a host port in the second container',
      event: kubesphereEvent({
        Verb: 'create',
        Level: 'Request',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1' },
        RequestObject: podSpec({
          containers: [
            { name: 'sidecar', image: 'envoy' },
            { name: 'app', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] },
          ],
        }),
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange', 'CreateHostportPod'],
      alerts: [['CreateHostportPod', 'alice create HostNetPort Pod web-1 in Namespace demo.']],
    },
    {
      name: 'raises CreateHostportPod for a host port in an init container',
      event: kubesphereEvent({
        Verb: 'create',
        Level: 'Request',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1' },
        RequestObject: podSpec({
          initContainers: [{ name: 'init', ports: [{ containerPort: 53, hostPort: 53 }] }],
          containers: [{ name: 'app', ports: [{ containerPort: 80 }] }],
        }),
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange', 'CreateHostportPod'],
      alerts: [['CreateHostportPod', 'alice create HostNetPort Pod web-1 in Namespace demo.']],
    },
    {
      name: 'does not alert for a pod whose containers only declare container ports',
      event: kubesphereEvent({
        Verb: 'create',
        Level: 'Request',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1' },
        RequestObject: podSpec({ hostNetwork: false, containers: [{ name: 'app', ports: [{ containerPort: 80 }] }] }),
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange'],
      alerts: [],
    },
    {
      name: 'raises CreateNodeportService for a NodePort service',
      event: kubesphereEvent({
        Verb: 'create',
        Level: 'Request',
        ObjectRef: { Resource: 'services', Namespace: 'demo', Name: 'web' },
        RequestObject: { kind: 'Service', spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } },
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange', 'CreateNodeportService'],
      alerts: [['CreateNodeportService', 'alice create NodePort Service web in Namespace demo.']],
    },
    {
      name: 'does not alert for a ClusterIP service',
      event: kubesphereEvent({
        Verb: 'create',
        Level: 'Request',
        ObjectRef: { Resource: 'services', Namespace: 'demo', Name: 'web' },
        RequestObject: { kind: 'Service', spec: { ports: [{ port: 80 }] } },
      }),
      archive: true,
      matched: ['archiving', 'ResourceChange'],
      alerts: [],
    },
  ])('$name', ({ event, archive, matched, alerts }) => {
    const result = matchEvent(shipped, event);
    expect(result.archive).toBe(archive);
    expect(result.matched).toEqual(matched);
    expect(result.alerts.map((alert) => [alert.rule.name, alert.message])).toEqual(alerts);
    expect(result.failures).toEqual([]);
  });

  test('reports a rule whose evaluation fails, which does not match, while the others still archive', () => {
    const event = kubesphereEvent({
      Verb: 'create',
      Level: 'Request',
      ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1' },
      RequestObject: podSpec({ containers: [{ name: 'app', ports: [{ hostPort: 'eighty' }] }] }),
    });
    const result = matchEvent(shipped, event);
    expect(result.archive).toBe(true);
    expect(result.alerts).toEqual([]);
    expect(result.failures.map(({ rule, error }) => [rule.name, error])).toEqual([
      ['CreateHostportPod', 'RequestObject.spec.containers[*].ports[*].hostPort is "eighty", not a number'],
    ]);
  });

  test('accepts an already flattened event', () => {
    const event = flattenEvent(
      kubesphereEvent({
        Verb: 'create',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1', Subresource: 'exec' },
      }),
    );
    expect(matchEvent(shipped, event).alerts).toHaveLength(1);
  });

  test('reads the archived shape, where User.Username is capitalised', () => {
    const archived = {
      ...kubesphereEvent({
        Verb: 'create',
        ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1', Subresource: 'exec' },
      }),
      User: { Username: 'alice', UID: 'b1d2', Groups: 'system:authenticated' },
      RequestObject: '',
    };
    expect(matchEvent(shipped, archived).alerts.map((alert) => alert.message)).toEqual([
      'alice exec Pod web-1 in Namespace demo.',
    ]);
  });
});

describe('matchEvent with other settings', () => {
  test('alerts with the default message for a rule without output when alertingPriority is INFO', () => {
    const rules = loadRules(shippedRuleCRs, { alertingPriority: 'INFO' }).rules;
    const event = kubesphereEvent({
      Verb: 'update',
      ObjectRef: { Resource: 'configmaps', Namespace: 'demo', Name: 'cfg' },
    });
    expect(matchEvent(rules, event).alerts.map((alert) => [alert.rule.name, alert.message])).toEqual([
      ['ResourceChange', "alice update configmaps 'cfg' in Namespace demo"],
    ]);
  });

  test('skips disabled rules', () => {
    const disabled: RuleCR = {
      metadata: { name: 'custom', labels: { type: 'alerting' } },
      spec: {
        rules: [{ name: 'AnyCreate', type: 'rule', condition: 'Verb = "create"', enable: false, priority: 'WARNING' }],
      },
    };
    const rules = loadRules([disabled]).rules;
    const result = matchEvent(rules, kubesphereEvent({ Verb: 'create', ObjectRef: { Resource: 'pods' } }));
    expect(result).toMatchObject({ archive: false, matched: [], alerts: [] });
  });

  test('lists a matching rule of an unselected CR without archiving or alerting', () => {
    const unselected: RuleCR = {
      metadata: { name: 'drafts', labels: { type: 'draft' } },
      spec: {
        rules: [{ name: 'Draft', type: 'rule', condition: 'Verb = "create"', enable: true, priority: 'WARNING' }],
      },
    };
    const result = matchEvent(loadRules([unselected]).rules, kubesphereEvent({ Verb: 'create', ObjectRef: {} }));
    expect(result).toMatchObject({ archive: false, matched: ['Draft'], alerts: [] });
  });

  test('archives once and alerts once per matching alerting rule', () => {
    const cr: RuleCR = {
      metadata: { name: 'custom', labels: { type: 'alerting' } },
      spec: {
        rules: [
          {
            name: 'First',
            type: 'rule',
            condition: 'Verb = "delete"',
            enable: true,
            priority: 'WARNING',
            output: 'one',
          },
          {
            name: 'Second',
            type: 'rule',
            condition: 'ObjectRef.Resource = "secrets"',
            enable: true,
            priority: 'WARNING',
            output: 'two',
          },
        ],
      },
    };
    const result = matchEvent(
      loadRules([cr]).rules,
      kubesphereEvent({ Verb: 'delete', ObjectRef: { Resource: 'secrets' } }),
    );
    expect(result.archive).toBe(true);
    expect(result.alerts.map((alert) => alert.message)).toEqual(['one', 'two']);
  });
});
