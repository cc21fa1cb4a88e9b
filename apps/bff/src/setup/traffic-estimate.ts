import { type AuditLevel, auditLevels } from '@auditorium/audit-model';
import type { AuditPolicy } from './audit-policy-schema.ts';
import { decideLevel, type RequestAttributes } from './policy-match.ts';

/**
 * How many events a day a policy would produce, from what the cluster recently did. The archive knows
 * the recent requests; it fills a `TrafficSource` (wired where the archive lives), and this module only
 * does the arithmetic, so it can be tested without one.
 */
export interface TrafficSample extends RequestAttributes {
  /** Requests with these attributes seen in the window. */
  count: number;
}

export interface TrafficWindow {
  fromMs: number;
  toMs: number;
  /** Counts per (verb, resource…) over the window; the finer the attributes, the closer the estimate. */
  samples: TrafficSample[];
}

export interface TrafficSource {
  /** The most recent window of archived request counts, or undefined when the archive has none. */
  recentTraffic(): Promise<TrafficWindow | undefined>;
}

export interface TrafficLine {
  verb: string;
  resource: string;
  level: AuditLevel;
  eventsPerDay: number;
}

export type TrafficEstimate =
  | { available: false; reason: string }
  | {
      available: true;
      windowHours: number;
      sampledRequests: number;
      eventsPerDay: number;
      /** Rough: typical event sizes per level (see assumptions). */
      bytesPerDay: number;
      eventsPerDayByLevel: Record<AuditLevel, number>;
      /** The biggest contributors, largest first. */
      top: TrafficLine[];
      assumptions: string[];
    };

const dayMs = 24 * 60 * 60_000;

/** Typical JSON sizes of one event; bodies dominate above Metadata. */
const typicalEventBytes: Record<AuditLevel, number> = {
  None: 0,
  Metadata: 1_200,
  Request: 3_000,
  RequestResponse: 6_000,
};

const longRunningSubresources = new Set(['exec', 'attach', 'portforward', 'proxy', 'log']);

/** Watches and streaming subresources also emit ResponseStarted (k8s-audit.md §1.3). */
function isLongRunning(sample: TrafficSample): boolean {
  return sample.verb === 'watch' || longRunningSubresources.has(sample.subresource ?? '');
}

function describeResource(sample: TrafficSample): string {
  if (sample.resource === undefined) return sample.path ?? '(non-resource)';
  const resource = sample.subresource ? `${sample.resource}/${sample.subresource}` : sample.resource;
  return sample.group ? `${resource}.${sample.group}` : resource;
}

export function estimateTraffic(policy: AuditPolicy, window: TrafficWindow | undefined): TrafficEstimate {
  const windowMs = window ? window.toMs - window.fromMs : 0;
  const sampledRequests = window?.samples.reduce((sum, sample) => sum + sample.count, 0) ?? 0;
  if (!window || windowMs <= 0 || sampledRequests === 0) {
    return {
      available: false,
      reason:
        'The archive has no recent events to estimate from yet. Once the receiver has archived some traffic, the estimate uses it.',
    };
  }
  const perDay = dayMs / windowMs;
  const byLevel = Object.fromEntries(auditLevels.map((level) => [level, 0])) as Record<AuditLevel, number>;
  const lines = new Map<string, TrafficLine>();
  let bytesPerDay = 0;
  for (const sample of window.samples) {
    const decision = decideLevel(policy, sample);
    if (decision.level === 'None') continue;
    const stagesPerRequest =
      1 + Number(!decision.omitStages.includes('RequestReceived')) + Number(isLongRunning(sample));
    const events = sample.count * stagesPerRequest * perDay;
    byLevel[decision.level] += events;
    bytesPerDay += events * typicalEventBytes[decision.level];
    const resource = describeResource(sample);
    const key = `${sample.verb} ${resource} ${decision.level}`;
    const line = lines.get(key) ?? { verb: sample.verb, resource, level: decision.level, eventsPerDay: 0 };
    line.eventsPerDay += events;
    lines.set(key, line);
  }
  const round = (value: number) => Math.round(value);
  const eventsPerDay = round(Object.values(byLevel).reduce((sum, value) => sum + value, 0));
  return {
    available: true,
    windowHours: Math.round((windowMs / 3_600_000) * 10) / 10,
    sampledRequests,
    eventsPerDay,
    bytesPerDay: round(bytesPerDay),
    eventsPerDayByLevel: Object.fromEntries(
      Object.entries(byLevel).map(([level, value]) => [level, round(value)]),
    ) as Record<AuditLevel, number>,
    top: [...lines.values()]
      .sort((a, b) => b.eventsPerDay - a.eventsPerDay)
      .slice(0, 10)
      .map((line) => ({ ...line, eventsPerDay: round(line.eventsPerDay) })),
    assumptions: [
      'The recent window is scaled to a day, so daily peaks and quiet nights average out only if the window is long.',
      'Requests the current policy does not record are missing from the archive, so the estimate is a lower bound.',
      'Each request gives one ResponseComplete event, plus RequestReceived unless omitted, plus ResponseStarted for watches and exec/attach/port-forward/proxy/log.',
      `Sizes assume ${typicalEventBytes.Metadata} B per Metadata event, ${typicalEventBytes.Request} B with the request body and ${typicalEventBytes.RequestResponse} B with both bodies.`,
    ],
  };
}
