// kube-controller-manager: Deployments become ReplicaSets become Pods, namespaces get their default
// ServiceAccount, garbage is collected. One instance, so no leader election.
import { join } from 'node:path';
import type { ComponentDefinition } from './component.ts';
import { expectOk } from './probe.ts';

export const kubeControllerManager: ComponentDefinition = {
  name: 'kube-controller-manager',
  binary: (context) => context.binaries['kube-controller-manager'],
  args: ({ layout, ports }) => {
    const kubeconfig = join(layout.componentKubeconfigDir, 'kube-controller-manager.kubeconfig');
    return [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      `--tls-cert-file=${layout.componentsCert}`,
      `--tls-private-key-file=${layout.componentsKey}`,
      `--service-account-private-key-file=${layout.serviceAccountKey}`,
      `--root-ca-file=${layout.caCert}`,
      // Each controller acts as its own ServiceAccount, as on kubeadm clusters, so audit events name
      // system:serviceaccount:kube-system:deployment-controller and friends rather than one user.
      '--use-service-account-credentials=true',
      '--leader-elect=false',
      '--cluster-name=auditorium-local',
      '--profiling=false',
    ];
  },
  probe: async ({ ports, caPem }) => {
    await expectOk(`https://127.0.0.1:${ports.controllerManager}/healthz`, { ca: caPem });
  },
  startTimeoutMs: 60_000,
};
