// etcd, built from go.etcd.io/etcd/server/v3: one member, plain HTTP on loopback only (nothing else on the
// machine can reach it), data in $DATA_DIR/cluster/etcd.
import type { ComponentDefinition } from './component.ts';
import { expectOk } from './probe.ts';

export const etcd: ComponentDefinition = {
  name: 'etcd',
  binary: (context) => context.binaries.etcd,
  args: ({ layout, ports }) => {
    const client = `http://127.0.0.1:${ports.etcdClient}`;
    const peer = `http://127.0.0.1:${ports.etcdPeer}`;
    return [
      '--name=auditorium',
      `--data-dir=${layout.etcdDataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=auditorium=${peer}`,
      '--initial-cluster-state=new',
      // A development cluster: skipping fsync keeps writes fast on slow disks. The data still survives a
      // kill -9 of every process (it is in the page cache); only a power cut could lose the last writes.
      '--unsafe-no-fsync',
      // The apiserver compacts every 5 minutes; defragmenting is not needed at this size. Keep the file small.
      '--quota-backend-bytes=2147483648',
      '--log-level=warn',
    ];
  },
  probe: async ({ ports }) => {
    const body = await expectOk(`http://127.0.0.1:${ports.etcdClient}/health`);
    const health = JSON.parse(body) as { health?: string; reason?: string };
    if (health.health !== 'true') throw new Error(`etcd reports unhealthy: ${health.reason ?? body}`);
  },
  startTimeoutMs: 60_000,
};
