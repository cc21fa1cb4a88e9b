import { effectiveWebhookSettings } from '@auditorium/audit-model';
import { Link } from '@tanstack/react-router';
import { useCapability } from '../../../lib/me/capability.tsx';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { useHealth } from '../api/get-health.ts';
import { useKubesphereConfig } from '../api/get-kubesphere-config.ts';
import { usePipelineStats } from '../api/get-pipeline-stats.ts';
import { useWebhook } from '../api/get-webhook.ts';
import { ComponentHealthList } from '../components/component-health-list.tsx';
import { MisconfigurationList } from '../components/misconfiguration-list.tsx';
import { PipelineCounters } from '../components/pipeline-counters.tsx';
import { SourceCard } from '../components/source-card.tsx';
import {
  kubesphereConfigMisconfigurations,
  type Misconfiguration,
  silentKubernetesSource,
  webhookMisconfigurations,
} from '../misconfigurations.ts';
import '../overview.css';

export function OverviewPage() {
  const readWebhook = useCapability('readWebhook');
  const readConfig = useCapability('readKubesphereConfig');
  const health = useHealth();
  const stats = usePipelineStats();
  const webhook = useWebhook(readWebhook.allowed);
  const kubesphereConfig = useKubesphereConfig(readConfig.allowed);

  const settings = webhook.data ? effectiveWebhookSettings(webhook.data.webhook.spec) : undefined;
  const counters = stats.data;
  const now = Date.now();

  const problems: Misconfiguration[] = [
    ...(webhook.data ? webhookMisconfigurations(webhook.data.problems) : []),
    ...(kubesphereConfig.data ? kubesphereConfigMisconfigurations(kubesphereConfig.data.problems) : []),
    ...silentKubernetesSource(
      settings?.k8sAuditingEnabled,
      counters ? (counters.receivedBySource.kubernetes ?? 0) : undefined,
      counters?.startedAt,
    ),
  ];
  const checksSkipped = [readWebhook, readConfig].filter((capability) => !capability.allowed);

  return (
    <section aria-labelledby="page-title" className="overview-page">
      <h1 id="page-title">Overview</h1>
      <p className="muted">
        The auditing pipeline at a glance: where events come from, what becomes of them, and what is misconfigured.
      </p>

      <h2>Sources</h2>
      <div className="source-cards">
        <SourceCard
          now={now}
          source={{
            title: 'KubeSphere',
            enabled: kubesphereConfig.data
              ? kubesphereConfig.data.auditing.enable && settings?.auditLevel !== 'None'
              : undefined,
            switchedBy:
              settings?.auditLevel === 'None'
                ? 'auditing.enable in kubesphere-config, but the Webhook auditLevel is None'
                : 'auditing.enable in kubesphere-system/kubesphere-config',
            ...(readConfig.allowed ? {} : { unknownReason: readConfig.reason }),
            ...(counters?.lastEventAt.kubesphere ? { lastEventAt: counters.lastEventAt.kubesphere } : {}),
            ...(counters ? { received: counters.receivedBySource.kubesphere ?? 0 } : {}),
          }}
        />
        <SourceCard
          now={now}
          source={{
            title: 'Kubernetes',
            enabled: settings?.k8sAuditingEnabled,
            switchedBy: 'spec.k8sAuditingEnabled of the Webhook kube-auditing-webhook',
            ...(readWebhook.allowed ? {} : { unknownReason: readWebhook.reason }),
            ...(counters?.lastEventAt.kubernetes ? { lastEventAt: counters.lastEventAt.kubernetes } : {}),
            ...(counters ? { received: counters.receivedBySource.kubernetes ?? 0 } : {}),
          }}
        />
      </div>
      {webhook.isError ? <StatusMessage error={webhook.error} /> : null}
      {kubesphereConfig.isError ? <StatusMessage error={kubesphereConfig.error} /> : null}

      <h2>Events</h2>
      {stats.isError ? <StatusMessage error={stats.error} /> : null}
      {counters ? (
        <PipelineCounters
          counts={{
            eventsPerSecond: counters.eventsPerSecond,
            windowSeconds: counters.windowSeconds,
            ...counters.totals,
            droppedByReason: counters.droppedByReason,
            rejectedByReason: counters.rejectedByReason,
            startedAt: counters.startedAt,
          }}
        />
      ) : stats.isPending ? (
        <p className="muted">Reading the receiver's counters…</p>
      ) : null}
      <p>
        <Link to="/live">Watch them live</Link> · <Link to="/search">Search the archive</Link>
      </p>

      <h2>Misconfigurations</h2>
      {checksSkipped.map((capability) => (
        <p key={capability.reason} className="muted">
          Some checks were skipped: {capability.reason}
        </p>
      ))}
      <MisconfigurationList problems={problems} />

      <h2>Components</h2>
      {health.isError ? <StatusMessage error={health.error} /> : null}
      {health.data ? (
        <>
          <p>
            Auditorium {health.data.version}: <strong>{health.data.status}</strong>
          </p>
          <ComponentHealthList components={health.data.components} />
        </>
      ) : null}
    </section>
  );
}
