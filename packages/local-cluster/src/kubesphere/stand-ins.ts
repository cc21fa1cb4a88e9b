// What KubeSphere would run beside the receiver, started by the supervisor once the control plane is ready:
// - ks-apiserver: a process in front of kube-apiserver that audits what it serves (ks-apiserver-process.ts);
// - the kube-auditing operator: the Webhook CR's Deployment and Service (auditing-operator.ts).
// Each reports its phase to the supervisor, so state.json and /api/healthz show them beside the control plane.
// A failure here leaves the cluster itself usable: it is reported, not thrown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditingNamespace, webhookName } from '@auditorium/audit-model';
import { parse, stringify } from 'yaml';
import { clientConfig } from '../kubeconfig.ts';
import type { ClusterLayout } from '../layout.ts';
import { writeFileAtomic } from '../pki.ts';
import { errorText } from '../seed.ts';
import { AuditingOperator } from './auditing-operator.ts';
import { AUDITING_OPERATOR_ACCOUNT, applyIdentities, serviceAccountToken } from './identities.ts';
import { KsApiserverProcess, type StandInPhase } from './ks-apiserver-process.ts';

export const STAND_IN_NAMES = ['ks-apiserver', 'kube-auditing-operator'] as const;
export type StandInName = (typeof STAND_IN_NAMES)[number];

export interface StandInsOptions {
  layout: ClusterLayout;
  /** kube-apiserver's URL. */
  server: string;
  caPem: string;
  /** The system:masters token the seed is applied with. */
  bootstrapToken: string;
  setState: (
    name: StandInName,
    phase: StandInPhase,
    extra: { reason?: string; pid?: number; restarts?: number },
  ) => void;
  log: (line: string) => void;
}

export interface KubeSphereStandIns {
  /** https://127.0.0.1:<port>: the ks-apiserver stand-in (the cluster CA signs its certificate). */
  ksApiserverUrl: string;
  /** The cluster's kubeconfig with the stand-in as server: kubectl through ks-apiserver. */
  ksApiserverKubeconfig: string;
  /** Settles when both have started or failed (their states tell which). */
  started: Promise<void>;
  stop(): Promise<void>;
  killNow(): void;
}

/** The cluster kubeconfig (users admin, tenant, viewer) pointed at another server. */
function writeKubeconfigFor(source: string, target: string, server: string): void {
  const config = parse(readFileSync(source, 'utf8')) as { clusters?: { cluster?: { server?: string } }[] };
  for (const entry of config.clusters ?? []) if (entry.cluster) entry.cluster.server = server;
  writeFileAtomic(target, stringify(config), 0o600);
}

export async function startKubeSphereStandIns(options: StandInsOptions): Promise<KubeSphereStandIns> {
  const { layout, server, caPem, log } = options;
  const bootstrap = clientConfig(server, caPem, options.bootstrapToken);
  const ksApiserverKubeconfig = join(layout.clusterDir, 'ks-apiserver.kubeconfig');
  let operator: AuditingOperator | null = null;
  const ksApiserver = new KsApiserverProcess({
    layout,
    server,
    caPem,
    bootstrap,
    onState: (state) => options.setState('ks-apiserver', state.phase, state),
    log,
  });

  try {
    await applyIdentities(bootstrap);
  } catch (error) {
    const reason = `the KubeSphere ServiceAccounts could not be applied: ${errorText(error)}`;
    for (const name of STAND_IN_NAMES) options.setState(name, 'failed', { reason });
    log(reason);
  }

  let stopped = false;
  let lastOperatorError: string | undefined | null = null;
  const startOperator = async () => {
    options.setState('kube-auditing-operator', 'starting', {});
    const token = await serviceAccountToken(bootstrap, AUDITING_OPERATOR_ACCOUNT);
    if (stopped) return;
    operator = new AuditingOperator({
      kubeConfig: clientConfig(server, caPem, token),
      webhookName,
      namespace: auditingNamespace,
      onReconciled: ({ error }) => {
        // Every reconcile reports; only a change of outcome is a new state.
        if (error === lastOperatorError) return;
        lastOperatorError = error;
        options.setState('kube-auditing-operator', error ? 'failed' : 'ready', error ? { reason: error } : {});
      },
      log,
    });
    await operator.start();
  };
  const startKsApiserver = async () => {
    await ksApiserver.start();
    writeKubeconfigFor(layout.kubeconfig, ksApiserverKubeconfig, ksApiserver.url);
    log(`ks-apiserver stand-in: ${ksApiserver.url} (KUBECONFIG=${ksApiserverKubeconfig} kubectl get pods -A)`);
  };
  const reportFailures = (results: PromiseSettledResult<void>[]) => {
    results.forEach((result, index) => {
      if (result.status === 'rejected' && !stopped) {
        const name = index === 0 ? 'kube-auditing-operator' : 'ks-apiserver';
        const reason = errorText(result.reason);
        // The process manager has reported its own failure already; the operator's start may not have.
        if (name === 'kube-auditing-operator') options.setState(name, 'failed', { reason });
        log(`${name} did not start: ${reason}`);
      }
    });
  };
  await ksApiserver.prepare();
  // Not awaited: the cluster is usable without the stand-ins, and a Node process takes seconds to start; the
  // supervisor's start does not wait for them, their states say when they are ready.
  const started = Promise.allSettled([startOperator(), startKsApiserver()]).then(reportFailures);

  return {
    ksApiserverUrl: ksApiserver.url,
    ksApiserverKubeconfig,
    started,
    async stop() {
      stopped = true;
      options.setState('kube-auditing-operator', 'stopping', {});
      await Promise.all([ksApiserver.stop(), (operator as AuditingOperator | null)?.stop()]);
      options.setState('kube-auditing-operator', 'stopped', {});
    },
    killNow: () => ksApiserver.killNow(),
  };
}
