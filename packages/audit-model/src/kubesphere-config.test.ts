import { describe, expect, test } from 'vitest';
import { findConfigProblems, readAuditingSection, setAuditingEnable } from './kubesphere-config.ts';

const kubesphereYaml = `# KubeSphere core configuration
authentication:
  authenticateRateLimiterMaxTries: 10
  jwtSecret: "s3cret" # rotated by the installer
# Auditing: events go to the kube-auditing webhook
auditing:
  enable: true
  webhookURL: https://kube-auditing-webhook-svc.kubesphere-logging-system.svc:6443/audit/webhook/event
  # eventBatchSize: 100
monitoring:
  endpoint: http://prometheus-operated.kubesphere-monitoring-system.svc:9090
`;

describe('kubesphere.yaml auditing section', () => {
  test('reads enable and the webhook URL the installer writes as webhookURL', () => {
    expect(readAuditingSection(kubesphereYaml)).toEqual({
      enable: true,
      webhookURL: 'https://kube-auditing-webhook-svc.kubesphere-logging-system.svc:6443/audit/webhook/event',
    });
  });

  test('switching auditing off changes one value and keeps every comment and section', () => {
    const edited = setAuditingEnable(kubesphereYaml, false);
    expect(edited).toBe(kubesphereYaml.replace('  enable: true', '  enable: false'));
  });

  test('switching auditing off and on again gives back the installer’s text, blank lines and all', () => {
    const installed = `monitoring:
  endpoint: http://prometheus-operated.kubesphere-monitoring-system.svc:9090
auditing:
  enable: true   # set by ks-installer
  webhookURL: https://kube-auditing-webhook-svc.kubesphere-logging-system.svc:6443/audit/webhook/event


gateway:
  namespace: kubesphere-controls-system
`;
    const off = setAuditingEnable(installed, false);
    expect(off).toBe(installed.replace('enable: true', 'enable: false'));
    expect(readAuditingSection(off).enable).toBe(false);
    expect(setAuditingEnable(off, true)).toBe(installed);
  });

  test('finds and fixes the docs’ spec.auditing.enabled', () => {
    const wrong = 'spec:\n  auditing:\n    enabled: false # from the docs\nmonitoring:\n  endpoint: x\n';
    expect(findConfigProblems(wrong).map((problem) => problem.code)).toEqual([
      'spec-level',
      'enabled-instead-of-enable',
    ]);
    const fixed = setAuditingEnable(wrong, true);
    expect(findConfigProblems(fixed)).toEqual([]);
    expect(readAuditingSection(fixed).enable).toBe(true);
    expect(fixed).toContain('monitoring:\n  endpoint: x');
  });

  test('a broken document is reported, not guessed at', () => {
    expect(findConfigProblems('auditing: [unclosed')[0]?.code).toBe('yaml-error');
  });
});
