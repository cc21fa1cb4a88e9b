/**
 * @auditorium/audit-model: the auditing domain in one place. Event shapes and their normalisation, the
 * Webhook and Rule CRs with their enums, defaults and validation, the Kubernetes Status error body, the
 * KubeSphere archive line and the kubesphere.yaml auditing section. Depends on nothing of ours.
 */
export * from './archive-line.ts';
export * from './enums.ts';
export type * from './event.ts';
export * from './kubesphere-config.ts';
export * from './names.ts';
export * from './normalise.ts';
export * from './rule.ts';
export * from './status.ts';
export * from './webhook.ts';
export * from './webhook-checks.ts';
