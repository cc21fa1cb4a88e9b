/** The state of one part of the product, as `/api/healthz` reports it. */
export type ComponentState = 'ok' | 'starting' | 'degraded' | 'down' | 'disabled';

export interface ComponentHealth {
  state: ComponentState;
  /** What is wrong and what to do, when the state is not `ok`. */
  reason?: string;
  detail?: Record<string, unknown>;
}

/** Each component registers one probe; probes must answer quickly and never throw. */
export type HealthProbe = () => Promise<ComponentHealth> | ComponentHealth;

/** Several components reported by one source (a control plane's state file); must not throw either. */
export type HealthGroup = () => Record<string, ComponentHealth>;

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  components: Record<string, ComponentHealth>;
}

export async function collectHealth(
  version: string,
  probes: Record<string, HealthProbe>,
  groups: HealthGroup[] = [],
): Promise<HealthReport> {
  const probed = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, ComponentHealth]> => {
      try {
        return [name, await probe()];
      } catch (error) {
        return [name, { state: 'down', reason: error instanceof Error ? error.message : String(error) }];
      }
    }),
  );
  const grouped = groups.flatMap((group): [string, ComponentHealth][] => {
    try {
      return Object.entries(group());
    } catch (error) {
      return [['health', { state: 'down', reason: error instanceof Error ? error.message : String(error) }]];
    }
  });
  const entries = [...probed, ...grouped];
  const components = Object.fromEntries(entries);
  const healthy = entries.every(([, health]) => health.state === 'ok' || health.state === 'disabled');
  return { status: healthy ? 'ok' : 'degraded', version, components };
}
