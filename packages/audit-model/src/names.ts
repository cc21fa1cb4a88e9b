/** Names KubeSphere 3.x hard-codes; every component refers to them through here. */
export const auditingGroup = 'auditing.kubesphere.io';
export const auditingVersion = 'v1alpha1';
export const auditingApiVersion = `${auditingGroup}/${auditingVersion}`;
export const webhookPlural = 'webhooks';
export const rulePlural = 'rules';
/** The one Webhook CR ks-apiserver and the receiver read (cluster-scoped). */
export const webhookName = 'kube-auditing-webhook';
export const auditingNamespace = 'kubesphere-logging-system';
export const kubesphereConfig = { namespace: 'kubesphere-system', name: 'kubesphere-config', key: 'kubesphere.yaml' };
export const workspaceLabel = 'kubesphere.io/workspace';
export const receiverPath = '/audit/webhook/event';
