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
