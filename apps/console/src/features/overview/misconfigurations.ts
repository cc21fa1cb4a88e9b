import { silentKubernetesSourceMessage } from '../../lib/kubernetes-source-check.ts';

/**
 * Every misconfiguration the Overview knows of, each with the page that fixes it. The checks themselves
 * run in the BFF (Webhook and Rules: routes/webhook-problems.ts; kubesphere.yaml: audit-model); this only
 * gathers them and adds the one that needs the receiver's counters: Kubernetes auditing switched on in the
 * Webhook while no Kubernetes event has arrived.
 */
export type FixPage = '/settings' | '/rules' | '/setup';

export interface Misconfiguration {
  id: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** The field to change, when there is one (`spec.auditSinkPolicy.archivingRuleSelector`). */
  field?: string;
  fix: { to: FixPage; label: string };
  /** A second place that can fix it (a rule problem is fixed by the audit level or by the rule). */
  also?: { to: FixPage; label: string };
}

interface WebhookProblemInput {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  field?: string;
  rule?: { namespace?: string; name: string; item: string };
}

interface ConfigProblemInput {
  code: string;
  message: string;
  fixable: boolean;
}

const webhookFix: Record<string, Misconfiguration['fix']> = {
  'rules-unreadable': { to: '/rules', label: 'Open Rules' },
};

export function webhookMisconfigurations(problems: readonly WebhookProblemInput[]): Misconfiguration[] {
  return problems.map((problem, index) => ({
    id: `webhook-${problem.code}-${index}`,
    severity: problem.severity,
    message: problem.message,
    ...(problem.field ? { field: problem.field } : {}),
    fix: webhookFix[problem.code] ?? { to: '/settings', label: 'Fix in Auditing settings' },
    ...(problem.rule ? { also: { to: '/rules', label: `Open Rule ${problem.rule.name}` } } : {}),
  }));
}

export function kubesphereConfigMisconfigurations(problems: readonly ConfigProblemInput[]): Misconfiguration[] {
  return problems.map((problem, index) => ({
    id: `kubesphere-config-${problem.code}-${index}`,
    severity: problem.code === 'yaml-error' ? 'error' : 'warning',
    message: `kubesphere.yaml: ${problem.message}`,
    fix: {
      to: '/settings',
      label: problem.fixable ? 'Fix in Auditing settings' : 'See the KubeSphere switch in Auditing settings',
    },
  }));
}

/** Kubernetes auditing is on in the Webhook, but the receiver has had no event from kube-apiserver. */
export function silentKubernetesSource(
  k8sAuditingEnabled: boolean | undefined,
  kubernetesEventsReceived: number | undefined,
  receiverUpSince: string | undefined,
): Misconfiguration[] {
  const message = silentKubernetesSourceMessage(k8sAuditingEnabled, kubernetesEventsReceived, receiverUpSince);
  if (!message) return [];
  return [
    {
      id: 'kubernetes-source-silent',
      severity: 'warning',
      message,
      field: 'spec.k8sAuditingEnabled',
      fix: { to: '/setup', label: 'Set up Kubernetes auditing' },
      also: { to: '/settings', label: 'Or switch it off in Auditing settings' },
    },
  ];
}
