// What the supervisor needs to know of each control-plane component: how to run it and how to tell it is
// ready. Each component's file (etcd.ts, kube-apiserver.ts, …) holds its own flags and readiness check.
import type { Binaries } from './build.ts';
import type { ClusterLayout } from './layout.ts';
import type { Tokens } from './users.ts';

export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

/** In start order; stop is the reverse. */
export const COMPONENT_NAMES: readonly ComponentName[] = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
];

/** Loopback ports besides the apiserver's, picked free on the first start and kept while they stay free. */
export interface InternalPorts {
  etcdClient: number;
  etcdPeer: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

export interface ComponentContext {
  layout: ClusterLayout;
  binaries: Binaries;
  ports: InternalPorts;
  sandboxPort: number;
  tokens: Tokens;
  caPem: string;
}

export interface ComponentDefinition {
  name: ComponentName;
  binary: (context: ComponentContext) => string;
  args: (context: ComponentContext) => string[];
  /** Resolves when the component answers as ready; rejects with a reason a person can act on. */
  probe: (context: ComponentContext) => Promise<void>;
  /** How long a start may take before it counts as failed (etcd on a slow disk, apiserver bootstrapping RBAC). */
  startTimeoutMs: number;
}
