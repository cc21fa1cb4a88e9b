import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@auditorium/archive';
import type { HealthProbe } from './health.ts';
import type { ClusterAccess } from './kube/cluster-access.ts';
import { clusterProbe } from './kube/cluster-probe.ts';
import type { Receiver } from './receiver/index.ts';
import { rulesHealth } from './routes/rules.ts';

/**
 * The components `/api/healthz` reports, one probe each: the built console, the cluster (reachable with
 * the server's identity), the archive, the receiver, and the rules it loaded. A part that did not start
 * is given as its reason, so health says why instead of leaving the component out.
 */
export interface ComponentSources {
  consoleDir: string;
  cluster: ClusterAccess;
  archive: { store: EventStore } | { failed: string };
  receiver: { receiver: Receiver } | { failed: string };
}

function down(reason: string): HealthProbe {
  return () => ({ state: 'down', reason });
}

function archiveProbe(store: EventStore): HealthProbe {
  return () => ({ state: 'ok', detail: { pendingEvents: store.pendingEvents() } });
}

export function componentProbes(sources: ComponentSources): Record<string, HealthProbe> {
  const { consoleDir } = sources;
  const receiver = 'receiver' in sources.receiver ? sources.receiver.receiver : undefined;
  const receiverFailure = 'failed' in sources.receiver ? sources.receiver.failed : '';
  return {
    console: () =>
      existsSync(join(consoleDir, 'index.html'))
        ? { state: 'ok' }
        : { state: 'down', reason: `console not built: ${consoleDir} is missing` },
    cluster: clusterProbe(sources.cluster),
    archive: 'store' in sources.archive ? archiveProbe(sources.archive.store) : down(sources.archive.failed),
    receiver: receiver ? () => receiver.health() : down(receiverFailure),
    rules: receiver ? () => rulesHealth(receiver.ruleStatus()) : down(`no rules are loaded: ${receiverFailure}`),
  };
}
