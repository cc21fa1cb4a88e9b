// kwok plays the kubelets of two fake nodes: it marks them Ready, keeps their leases fresh and moves Pods
// scheduled on them to Running, following the Stage files in seed/kwok-stages (copied from kwok v0.8.0).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComponentDefinition } from './component.ts';
import { expectOk } from './probe.ts';

export const KWOK_STAGES_DIR = fileURLToPath(new URL('../seed/kwok-stages/', import.meta.url));

/** The annotation kwok's own tooling puts on the nodes it fakes; kwok here manages only those. */
export const FAKE_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export const kwok: ComponentDefinition = {
  name: 'kwok',
  binary: (context) => context.binaries.kwok,
  args: ({ layout, ports }) => [
    `--kubeconfig=${join(layout.componentKubeconfigDir, 'kwok.kubeconfig')}`,
    `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=fake`,
    ...readdirSync(KWOK_STAGES_DIR)
      .filter((file) => file.endsWith('.yaml'))
      .sort()
      .map((file) => `--config=${join(KWOK_STAGES_DIR, file)}`),
    // Serves /healthz for our probe (and kwok's logs/exec endpoints, unused here); loopback only.
    `--server-address=127.0.0.1:${ports.kwok}`,
    // Nodes heartbeat through Leases every 40 s like a kubelet, so the node controller keeps them Ready.
    '--node-lease-duration-seconds=40',
    // Pod IPs; apart from the Service range 10.96.0.0/12.
    '--cidr=10.244.0.0/16',
  ],
  probe: async ({ ports }) => {
    await expectOk(`http://127.0.0.1:${ports.kwok}/healthz`);
  },
  startTimeoutMs: 60_000,
};
