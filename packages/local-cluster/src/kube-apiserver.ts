// kube-apiserver on 127.0.0.1:$SANDBOX_PORT: RBAC, token authentication, ServiceAccount keys, serving
// certificates from our CA, and real auditing to the receiver through the webhook backend.
import type { ComponentDefinition } from './component.ts';
import { expectOk } from './probe.ts';

/** Pinned so the receiver's certificate can name the kube-auditing-webhook-svc ClusterIP (see seed/services.yaml). */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

export const kubeApiserver: ComponentDefinition = {
  name: 'kube-apiserver',
  binary: (context) => context.binaries['kube-apiserver'],
  args: ({ layout, ports, sandboxPort }) => [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${sandboxPort}`,
    // Without it, the apiserver looks for a default route to advertise, and a machine without one fails
    // (controller-runtime#1749).
    '--advertise-address=127.0.0.1',
    // The endpoint reconciler would publish 127.0.0.1 as the `kubernetes` Service's endpoint, which validation
    // rejects (loopback), every 10 s. Nothing runs in a pod here to need that endpoint.
    '--endpoint-reconciler-type=none',
    `--tls-cert-file=${layout.apiserverCert}`,
    `--tls-private-key-file=${layout.apiserverKey}`,
    `--client-ca-file=${layout.caCert}`,
    `--token-auth-file=${layout.tokenAuthFile}`,
    '--authorization-mode=RBAC',
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
    `--service-account-key-file=${layout.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${layout.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--allow-privileged=true',
    '--profiling=false',
    `--audit-policy-file=${layout.auditPolicy}`,
    `--audit-webhook-config-file=${layout.auditWebhookConfig}`,
    '--audit-webhook-mode=batch',
    // The default (30 s) would make a console user wait half a minute for their own action to show.
    '--audit-webhook-batch-max-wait=1s',
    // A batch the receiver did not take (not listening yet, restarting) is retried after 1 s, not 10: the live
    // view catches up sooner, and a stop does not wait out a 10 s backoff (5.1 s → 1.3 s with no receiver).
    '--audit-webhook-initial-backoff=1s',
    // Closes open watches (the console's, the receiver's) on stop instead of waiting on them, and their
    // closing events still reach the audit backend: a stop beside a running server took 5.3 s, now 1.3-1.6 s.
    '--shutdown-watch-termination-grace-period=1s',
  ],
  probe: async ({ sandboxPort, caPem, tokens }) => {
    await expectOk(`https://127.0.0.1:${sandboxPort}/readyz`, { ca: caPem, token: tokens.admin });
  },
  startTimeoutMs: 90_000,
};
