import { useState } from 'react';
import { useCapability } from '../../../lib/me/capability.tsx';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { useKubesphereConfig } from '../api/get-kubesphere-config.ts';
import { useKsApiserverRollout, useRestartKsApiserver } from '../api/restart-ks-apiserver.ts';
import { useSetKubesphereAuditing } from '../api/set-kubesphere-auditing.ts';
import { KubesphereSwitch } from '../components/kubesphere-switch.tsx';

/** Loads kubesphere-config and wires the switch, its fixes and the ks-apiserver restart to the server. */
export function KubesphereSwitchSection() {
  const canRead = useCapability('readKubesphereConfig');
  const canUpdate = useCapability('updateKubesphereConfig');
  const canRestart = useCapability('restartKsApiserver');
  const config = useKubesphereConfig(canRead.allowed);
  const setAuditing = useSetKubesphereAuditing();
  const restart = useRestartKsApiserver();
  const [restartRequired, setRestartRequired] = useState(false);
  const [conflictNotice, setConflictNotice] = useState(false);
  const [watchingRollout, setWatchingRollout] = useState(false);
  const rollout = useKsApiserverRollout(watchingRollout);

  if (!canRead.allowed) {
    return (
      <section className="kubesphere-switch" aria-labelledby="ks-switch-title">
        <h2 id="ks-switch-title">KubeSphere auditing (ks-apiserver)</h2>
        <p className="disabled-reason">{canRead.reason ?? 'You may not read kubesphere-config.'}</p>
      </section>
    );
  }
  if (config.isPending) return <p role="status">Loading kubesphere-config…</p>;
  if (config.isError) return <StatusMessage error={config.error} />;

  return (
    <KubesphereSwitch
      config={config.data}
      canUpdate={canUpdate}
      canRestart={canRestart}
      saving={setAuditing.isPending}
      saveError={setAuditing.error}
      conflictNotice={conflictNotice}
      restartRequired={restartRequired}
      rollout={watchingRollout ? rollout.data : undefined}
      restarting={restart.isPending}
      restartError={restart.error ?? rollout.error}
      onSetEnable={(enable) => {
        setConflictNotice(false);
        setAuditing.mutate(
          { enable, resourceVersion: config.data.resourceVersion },
          {
            onSuccess: (result) => {
              if (result.outcome === 'conflict') setConflictNotice(true);
              else if (result.written.restartRequired) setRestartRequired(true);
            },
          },
        );
      }}
      onRestart={() =>
        restart.mutate(undefined, {
          onSuccess: () => {
            setRestartRequired(false);
            setWatchingRollout(true);
          },
        })
      }
    />
  );
}
