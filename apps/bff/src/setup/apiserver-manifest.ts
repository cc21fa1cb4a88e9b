import { Document, isScalar, isSeq } from 'yaml';
import { z } from 'zod';

/**
 * The part of the kube-apiserver static-pod manifest (/etc/kubernetes/manifests/kube-apiserver.yaml on
 * kubeadm clusters) that turns the audit webhook on: flags plus a read-only hostPath mount of the
 * directory holding the policy and the webhook kubeconfig. The kubelet restarts the apiserver when the
 * manifest changes, which is also when it reads the policy.
 */
export const auditDirectory = '/etc/kubernetes/audit';
export const auditPolicyPath = `${auditDirectory}/audit-policy.yaml`;
export const auditWebhookConfigPath = `${auditDirectory}/audit-webhook.yaml`;
export const receiverCaPath = `${auditDirectory}/receiver-ca.crt`;

/** A Go duration as the flag takes it: 1s, 500ms, 2m. */
export const GoDuration = z.string().regex(/^\d+(ms|s|m)$/, 'use a duration such as 1s, 500ms or 2m');

export interface ApiserverFlagsInput {
  /** --audit-webhook-batch-max-wait: how long events may wait in the apiserver before being sent. */
  batchMaxWait: string;
}

export function apiserverFlags(input: ApiserverFlagsInput): string[] {
  return [
    `--audit-policy-file=${auditPolicyPath}`,
    `--audit-webhook-config-file=${auditWebhookConfigPath}`,
    '--audit-webhook-mode=batch',
    `--audit-webhook-batch-max-wait=${input.batchMaxWait}`,
  ];
}

export function apiserverManifestSnippet(input: ApiserverFlagsInput) {
  return {
    spec: {
      containers: [
        {
          name: 'kube-apiserver',
          command: apiserverFlags(input),
          volumeMounts: [{ name: 'audit', mountPath: auditDirectory, readOnly: true }],
        },
      ],
      volumes: [{ name: 'audit', hostPath: { path: auditDirectory, type: 'DirectoryOrCreate' } }],
    },
  };
}

export function apiserverManifestSnippetYaml(input: ApiserverFlagsInput): string {
  const document = new Document(apiserverManifestSnippet(input));
  document.commentBefore = [
    ' Merge into /etc/kubernetes/manifests/kube-apiserver.yaml on every control-plane node: append the flags',
    ' to the existing command, add the volume mount and the volume. The kubelet restarts kube-apiserver.',
  ].join('\n');
  const command = document.getIn(['spec', 'containers', 0, 'command'], true);
  const waitFlag = isSeq(command) ? command.items.at(-1) : undefined;
  if (isScalar(waitFlag)) {
    waitFlag.comment = ` default 30s: events would reach the live view up to 30 s late; ${input.batchMaxWait} keeps it live`;
  }
  return document.toString({ lineWidth: 0 });
}
