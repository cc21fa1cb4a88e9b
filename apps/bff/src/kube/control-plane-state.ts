import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ComponentHealth, ComponentState } from '../health.ts';

/**
 * The phases of a cluster's own processes, from a state file that whatever runs the control plane keeps
 * up to date (`CONTROL_PLANE_STATE_FILE`; the launcher points it at the local cluster's `cluster/state.json`).
 * A cluster run by someone else has no such file and is reported by the `cluster` probe alone: the server
 * learns phases from a file, never from knowing which cluster it has.
 */
const componentPhase = z.enum(['pending', 'building', 'starting', 'ready', 'failed', 'stopping', 'stopped']);

const stateFileSchema = z.object({
  supervisorPid: z.number().int().positive(),
  components: z.array(
    z.object({
      name: z.string().min(1),
      phase: componentPhase,
      reason: z.string().optional(),
      restarts: z.number().int().nonnegative().default(0),
      since: z.string(),
    }),
  ),
  updatedAt: z.string(),
});

type ComponentPhase = z.infer<typeof componentPhase>;

const STATE_OF_PHASE: Record<ComponentPhase, ComponentState> = {
  pending: 'starting',
  building: 'starting',
  starting: 'starting',
  ready: 'ok',
  failed: 'down',
  stopping: 'down',
  stopped: 'down',
};

/** The prefix of each entry in /api/healthz, so `cluster/etcd` sits beside `cluster` and is not mistaken for ours. */
const CONTROL_PLANE_PREFIX = 'cluster/';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One health entry per component in the file. A missing or unreadable file is one `cluster/state` entry
 * saying so; a supervisor that is no longer running turns every entry down, since nothing keeps them up.
 */
export function readControlPlaneHealth(stateFile: string): Record<string, ComponentHealth> {
  let parsed: z.infer<typeof stateFileSchema>;
  try {
    parsed = stateFileSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const reason = missing
      ? `${stateFile} does not exist yet: the control plane has not reported its components`
      : `${stateFile} cannot be read: ${error instanceof Error ? error.message : String(error)}`;
    return { [`${CONTROL_PLANE_PREFIX}state`]: { state: missing ? 'starting' : 'down', reason } };
  }
  const supervisorRunning = isRunning(parsed.supervisorPid);
  return Object.fromEntries(
    parsed.components.map((component): [string, ComponentHealth] => {
      const detail = { phase: component.phase, since: component.since, restarts: component.restarts };
      if (!supervisorRunning && component.phase !== 'stopped') {
        const reason = `its supervisor (pid ${parsed.supervisorPid}) is not running; it last said "${component.phase}"`;
        return [`${CONTROL_PLANE_PREFIX}${component.name}`, { state: 'down', reason, detail }];
      }
      const state = STATE_OF_PHASE[component.phase];
      const reason = component.reason ?? (state === 'ok' ? undefined : component.phase);
      return [`${CONTROL_PLANE_PREFIX}${component.name}`, { state, ...(reason ? { reason } : {}), detail }];
    }),
  );
}
