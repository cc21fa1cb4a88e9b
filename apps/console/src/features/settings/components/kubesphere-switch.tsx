import { StatusMessage } from '../../../lib/status-message.tsx';
import { formatTimestamp } from '../../../lib/time-format.ts';
import type { KubesphereConfigView } from '../api/get-kubesphere-config.ts';
import type { RolloutState } from '../api/restart-ks-apiserver.ts';

export interface Permission {
  allowed: boolean;
  reason?: string | undefined;
}

export interface KubesphereSwitchProps {
  config: KubesphereConfigView;
  canUpdate: Permission;
  canRestart: Permission;
  saving: boolean;
  saveError: unknown;
  /** Said after a refused write: the ConfigMap changed since it was loaded, and has been reloaded. */
  conflictNotice: boolean;
  restartRequired: boolean;
  rollout: RolloutState | undefined;
  restarting: boolean;
  restartError: unknown;
  onSetEnable: (enable: boolean) => void;
  onRestart: () => void;
}

function RolloutProgress({ rollout }: { rollout: RolloutState }) {
  return (
    <div className="rollout" aria-live="polite">
      <label>
        ks-apiserver rollout: {rollout.updatedReplicas} of {rollout.replicas} replicas updated,{' '}
        {rollout.availableReplicas} available
        <progress max={Math.max(rollout.replicas, 1)} value={Math.min(rollout.updatedReplicas, rollout.replicas)} />
      </label>
      <p className={rollout.failed ? 'warning-text' : rollout.done ? 'ok-text' : 'muted'}>{rollout.message}</p>
      {rollout.restartedAt ? (
        <p className="muted">
          Restart requested at <time dateTime={rollout.restartedAt}>{formatTimestamp(rollout.restartedAt)}</time> (pod
          template annotation kubectl.kubernetes.io/restartedAt).
        </p>
      ) : null}
    </div>
  );
}

/** ks-apiserver's auditing.enable switch in kubesphere-config, its known mistakes, and the restart it needs. */
export function KubesphereSwitch({
  config,
  canUpdate,
  canRestart,
  saving,
  saveError,
  conflictNotice,
  restartRequired,
  rollout,
  restarting,
  restartError,
  onSetEnable,
  onRestart,
}: KubesphereSwitchProps) {
  const enabled = config.auditing.enable;
  const fixable = config.problems.filter((problem) => problem.fixable);
  const rolling = rollout !== undefined && !rollout.done && !rollout.failed;
  return (
    <section className="kubesphere-switch" aria-labelledby="ks-switch-title">
      <h2 id="ks-switch-title">KubeSphere auditing (ks-apiserver)</h2>
      <p className="muted">
        auditing.enable in ConfigMap kubesphere-system/kubesphere-config (key kubesphere.yaml) makes ks-apiserver send
        events for requests to KubeSphere. ks-apiserver reads it only when it starts.
      </p>
      <div className="switch-row">
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={enabled}
            disabled={!canUpdate.allowed || saving}
            onChange={(event) => onSetEnable(event.target.checked)}
            aria-describedby="ks-switch-reason"
          />{' '}
          ks-apiserver sends audit events (auditing.enable)
        </label>
        <span className={enabled ? 'ok-text' : 'muted'}>{enabled ? 'On' : 'Off'}</span>
        {saving ? <span role="status">Saving…</span> : null}
      </div>
      {!canUpdate.allowed ? (
        <p id="ks-switch-reason" className="disabled-reason">
          {canUpdate.reason ?? 'You may not change kubesphere-config.'}
        </p>
      ) : null}
      {conflictNotice ? (
        <p role="alert" className="warning-text">
          The ConfigMap changed since you loaded it, so nothing was written. It has been reloaded: check the switch and
          try again.
        </p>
      ) : null}
      {saveError ? <StatusMessage error={saveError} /> : null}

      {config.problems.length > 0 ? (
        <div className="config-problems" role="alert">
          <h3>Problems in kubesphere.yaml</h3>
          <ul>
            {config.problems.map((problem) => (
              <li key={problem.code}>{problem.message}</li>
            ))}
          </ul>
          {fixable.length > 0 ? (
            <div className="button-row">
              <button type="button" disabled={!canUpdate.allowed || saving} onClick={() => onSetEnable(true)}>
                Fix it: write auditing.enable: true
              </button>
              <button type="button" disabled={!canUpdate.allowed || saving} onClick={() => onSetEnable(false)}>
                Fix it, with auditing off
              </button>
            </div>
          ) : (
            <p className="muted">
              Fix the YAML by hand first (kubectl -n kubesphere-system edit configmap kubesphere-config).
            </p>
          )}
        </div>
      ) : null}

      <div className="restart">
        {restartRequired ? <p className="warning-text">The change takes effect when ks-apiserver restarts.</p> : null}
        <button
          type="button"
          onClick={onRestart}
          disabled={!canRestart.allowed || restarting || rolling}
          aria-describedby={!canRestart.allowed ? 'ks-restart-reason' : undefined}
        >
          {restarting ? 'Restarting…' : 'Restart ks-apiserver'}
        </button>
        {!canRestart.allowed ? (
          <p id="ks-restart-reason" className="disabled-reason">
            {canRestart.reason ?? 'You may not restart ks-apiserver.'}
          </p>
        ) : null}
        {restartError ? <StatusMessage error={restartError} /> : null}
        {rollout ? <RolloutProgress rollout={rollout} /> : null}
      </div>
    </section>
  );
}
