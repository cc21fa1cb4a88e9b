import { z } from 'zod';

/**
 * The ordered vocabularies of auditing, each in one place (the way apimachinery types `Level` and
 * `StatusReason`). Order matters for levels and priorities, so each enum's order IS its ranking.
 */

/** audit.k8s.io levels, weakest first. ks-apiserver treats an empty or unknown level as None. */
export const auditLevels = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export const AuditLevel = z.enum(auditLevels);
export type AuditLevel = z.infer<typeof AuditLevel>;

export function auditLevelRank(level: string | undefined): number {
  const rank = auditLevels.indexOf(level as AuditLevel);
  return Math.max(rank, 0);
}

export const stages = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export const Stage = z.enum(stages);
export type Stage = z.infer<typeof Stage>;

/** Rule priorities, lowest first: a rule passes a threshold when its rank is at least the threshold's. */
export const priorities = ['DEBUG', 'INFO', 'WARNING'] as const;
export const Priority = z.enum(priorities);
export type Priority = z.infer<typeof Priority>;

export const receiverTypes = ['alertmanager', 'webhook'] as const;
export const ReceiverType = z.enum(receiverTypes);
export type ReceiverType = z.infer<typeof ReceiverType>;

/** Which program produced an event: kube-apiserver's webhook backend or ks-apiserver. */
export const eventSources = ['kubernetes', 'kubesphere'] as const;
export const EventSource = z.enum(eventSources);
export type EventSource = z.infer<typeof EventSource>;

export const ruleItemTypes = ['rule', 'macro', 'list', 'alias'] as const;
export const RuleItemType = z.enum(ruleItemTypes);
export type RuleItemType = z.infer<typeof RuleItemType>;
