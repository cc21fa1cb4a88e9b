import type { V1Deployment } from '@kubernetes/client-node';

/** `kubectl rollout restart` stamps this pod-template annotation; a new template means new pods. */
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';

export interface RolloutState {
  generation: number;
  observedGeneration: number;
  /** Desired replicas. */
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** Replicas of the old template still running. */
  oldReplicas: number;
  /** When the last restart was requested (the template annotation), if ever. */
  restartedAt?: string;
  done: boolean;
  failed: boolean;
  /** What `kubectl rollout status` would print. */
  message: string;
}

/** The rollout as `kubectl rollout status deployment/…` judges it (kubectl's DeploymentStatusViewer). */
export function rolloutState(deployment: V1Deployment): RolloutState {
  const name = deployment.metadata?.name ?? 'deployment';
  const status = deployment.status ?? {};
  const generation = deployment.metadata?.generation ?? 0;
  const observedGeneration = status.observedGeneration ?? 0;
  const replicas = deployment.spec?.replicas ?? 1;
  const updatedReplicas = status.updatedReplicas ?? 0;
  const availableReplicas = status.availableReplicas ?? 0;
  const oldReplicas = Math.max(0, (status.replicas ?? 0) - updatedReplicas);
  const state: RolloutState = {
    generation,
    observedGeneration,
    replicas,
    updatedReplicas,
    readyReplicas: status.readyReplicas ?? 0,
    availableReplicas,
    oldReplicas,
    done: false,
    failed: false,
    message: '',
  };
  const restartedAt = deployment.spec?.template?.metadata?.annotations?.[restartedAtAnnotation];
  if (restartedAt) state.restartedAt = restartedAt;

  if (generation > observedGeneration) {
    state.message = 'Waiting for the deployment spec update to be observed…';
    return state;
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    state.failed = true;
    state.message = `Deployment "${name}" exceeded its progress deadline.`;
  } else if (updatedReplicas < replicas) {
    state.message = `Waiting for deployment "${name}" rollout to finish: ${updatedReplicas} out of ${replicas} new replicas have been updated…`;
  } else if (oldReplicas > 0) {
    state.message = `Waiting for deployment "${name}" rollout to finish: ${oldReplicas} old replicas are pending termination…`;
  } else if (availableReplicas < updatedReplicas) {
    state.message = `Waiting for deployment "${name}" rollout to finish: ${availableReplicas} of ${updatedReplicas} updated replicas are available…`;
  } else {
    state.done = true;
    state.message = `Deployment "${name}" successfully rolled out.`;
  }
  return state;
}
