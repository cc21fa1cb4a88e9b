import type { EventStore } from '@auditorium/archive';
import type { AuditEvent } from '@auditorium/audit-model';
import type { TrafficSample, TrafficSource, TrafficWindow } from './traffic-estimate.ts';

/**
 * The estimate's traffic from the archive: the last `windowMs` of kube-apiserver events, one
 * ResponseComplete per request, counted per (user, verb, group, resource, subresource, namespace) or
 * per path for non-resource requests. Reads at most `maxEvents`; a capped read is scaled by its own span.
 */
export interface ArchiveTrafficOptions {
  windowMs?: number;
  maxEvents?: number;
  now?: () => number;
}

function sampleKey(event: AuditEvent): { key: string; sample: Omit<TrafficSample, 'count'> } {
  const reference = event.ObjectRef;
  const sample: Omit<TrafficSample, 'count'> = { verb: event.Verb };
  if (event.User.username) sample.user = event.User.username;
  if (event.User.groups?.length) sample.userGroups = event.User.groups;
  if (reference?.Resource) {
    sample.group = reference.APIGroup ?? '';
    sample.resource = reference.Resource;
    if (reference.Subresource) sample.subresource = reference.Subresource;
    if (reference.Namespace) sample.namespace = reference.Namespace;
  } else {
    sample.path = event.RequestURI.split('?')[0] ?? event.RequestURI;
  }
  return { key: JSON.stringify(sample), sample };
}

export function archiveTrafficSource(store: EventStore, options: ArchiveTrafficOptions = {}): TrafficSource {
  const windowMs = options.windowMs ?? 60 * 60_000;
  const maxEvents = options.maxEvents ?? 200_000;
  const now = options.now ?? Date.now;
  return {
    async recentTraffic(): Promise<TrafficWindow | undefined> {
      const toMs = now();
      const fromMs = toMs - windowMs;
      const counts = new Map<string, TrafficSample>();
      let seen = 0;
      let earliest = toMs;
      let latest = fromMs;
      const filter = {
        startTime: fromMs,
        endTime: toMs,
        sources: ['kubernetes' as const],
        stages: ['ResponseComplete' as const],
      };
      pages: for await (const page of store.iterate(filter, { kind: 'all' }, 1000)) {
        for (const { event } of page) {
          const { key, sample } = sampleKey(event);
          const entry = counts.get(key) ?? { ...sample, count: 0 };
          entry.count += 1;
          counts.set(key, entry);
          const at = Date.parse(event.RequestReceivedTimestamp);
          if (at < earliest) earliest = at;
          if (at > latest) latest = at;
          if (++seen >= maxEvents) break pages;
        }
      }
      if (seen === 0) return undefined;
      // A capped read covers only part of the window: scale by the span actually read.
      return seen >= maxEvents
        ? { fromMs: earliest, toMs: Math.max(latest, earliest + 1), samples: [...counts.values()] }
        : { fromMs, toMs, samples: [...counts.values()] };
    },
  };
}
