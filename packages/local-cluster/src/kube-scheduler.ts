// kube-scheduler: binds Pods to the kwok nodes. One instance, so no leader election.
import { join } from 'node:path';
import type { ComponentDefinition } from './component.ts';
import { expectOk } from './probe.ts';

export const kubeScheduler: ComponentDefinition = {
  name: 'kube-scheduler',
  binary: (context) => context.binaries['kube-scheduler'],
  args: ({ layout, ports }) => {
    const kubeconfig = join(layout.componentKubeconfigDir, 'kube-scheduler.kubeconfig');
    return [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.scheduler}`,
      `--tls-cert-file=${layout.componentsCert}`,
      `--tls-private-key-file=${layout.componentsKey}`,
      '--leader-elect=false',
      '--profiling=false',
    ];
  },
  probe: async ({ ports, caPem }) => {
    await expectOk(`https://127.0.0.1:${ports.scheduler}/healthz`, { ca: caPem });
  },
  startTimeoutMs: 60_000,
};
