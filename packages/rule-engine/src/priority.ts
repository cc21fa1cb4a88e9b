/**
 * Rule priorities, in one ordered table: a priority's position is its rank (reference §5.6). KubeSphere
 * gives DEBUG=1, INFO=2, WARNING=3 and anything else (empty, unknown, lower-case) 0, so a rule without a
 * valid priority never reaches a threshold. Thresholds are inclusive ("≥"), whatever the CRD text says.
 */

export const priorities = ['DEBUG', 'INFO', 'WARNING'] as const;
export type Priority = (typeof priorities)[number];

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (priorities as readonly string[]).includes(value);
}

/** 1 for DEBUG up to 3 for WARNING; 0 for anything that is not exactly one of them. */
export function priorityRank(value: string | undefined): number {
  return isPriority(value) ? priorities.indexOf(value) + 1 : 0;
}

/** Negative, zero or positive as `a` ranks below, with or above `b` (unknown values rank lowest). */
export function comparePriority(a: string | undefined, b: string | undefined): number {
  return priorityRank(a) - priorityRank(b);
}

/** Whether a rule of priority `value` passes `threshold` (inclusive). */
export function meetsPriority(value: string | undefined, threshold: Priority): boolean {
  return priorityRank(value) >= priorityRank(threshold);
}

/**
 * The webhook's thresholds as KubeSphere's webhook reads them: an empty or invalid value falls back
 * (DEBUG for archiving, WARNING for alerting), so a typo cannot switch archiving or alerting off.
 */
export function normalisePriority(value: unknown, fallback: Priority): Priority {
  return isPriority(value) ? value : fallback;
}
