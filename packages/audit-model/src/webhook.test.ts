import { describe, expect, test } from 'vitest';
import { invalidStatus } from './status.ts';
import { effectiveWebhookSettings, webhookSpecSchema } from './webhook.ts';

describe('webhookSpecSchema', () => {
  test('accepts the Webhook KubeSphere 3.4.1 installs', () => {
    const result = webhookSpecSchema.safeParse({
      replicas: 2,
      image: 'kubesphere/kube-auditing-webhook:v0.2.0',
      imagePullPolicy: 'IfNotPresent',
      imagePullSecrets: [],
      args: [],
      nodeSelector: {},
      affinity: {},
      tolerations: [],
      resources: { limits: { cpu: '200m', memory: '500Mi' }, requests: { cpu: '20m', memory: '50Mi' } },
      receivers: [
        {
          name: 'alert',
          type: 'alertmanager',
          config: { service: { namespace: 'kubesphere-monitoring-system', name: 'alertmanager-main', port: 9093 } },
        },
      ],
      archivingPriority: 'DEBUG',
      alertingPriority: 'WARNING',
      auditLevel: 'Metadata',
      k8sAuditingEnabled: false,
      useHTTPS: true,
    });
    expect(result.success).toBe(true);
  });

  test.each([
    { name: 'an unknown audit level', spec: { auditLevel: 'Verbose' }, field: 'spec.auditLevel' },
    { name: 'a lower-case priority', spec: { alertingPriority: 'warning' }, field: 'spec.alertingPriority' },
    {
      name: 'a receiver with both url and service',
      spec: {
        receivers: [
          { name: 'a', type: 'webhook', config: { url: 'https://x', service: { namespace: 'n', name: 's' } } },
        ],
      },
      field: 'spec.receivers[0].config.service',
    },
    {
      name: 'a receiver with neither url nor service',
      spec: { receivers: [{ name: 'a', type: 'alertmanager', config: {} }] },
      field: 'spec.receivers[0].config.url',
    },
    { name: 'the docs’ misplaced spec.auditing', spec: { auditing: { k8sAuditingEnabled: true } }, field: 'spec' },
    { name: 'negative replicas', spec: { replicas: -1 }, field: 'spec.replicas' },
  ])('rejects $name with a cause on its field', ({ spec, field }) => {
    const result = webhookSpecSchema.safeParse(spec);
    expect(result.success).toBe(false);
    const status = invalidStatus('Webhook', 'kube-auditing-webhook', result.error!.issues, 'spec');
    expect(status.code).toBe(422);
    expect(status.details?.causes?.map((cause) => cause.field)).toContain(field);
  });
});

describe('effectiveWebhookSettings', () => {
  test('fills KubeSphere defaults and treats invalid priorities as the webhook does', () => {
    expect(effectiveWebhookSettings({ archivingPriority: 'LOUD' })).toMatchObject({
      auditLevel: 'Metadata',
      k8sAuditingEnabled: false,
      archivingPriority: 'DEBUG',
      alertingPriority: 'WARNING',
      archivingRuleSelector: { matchLabels: { type: 'archiving' } },
      alertingRuleSelector: { matchLabels: { type: 'alerting' } },
      receivers: [],
    });
  });

  test('an unknown audit level means None, as in ks-apiserver', () => {
    expect(effectiveWebhookSettings({ auditLevel: 'Everything' }).auditLevel).toBe('None');
  });
});
