// Where everything of one local cluster lives under $DATA_DIR/cluster. One place, so the supervisor, the CLI
// (which talks to a running supervisor) and the server (which reads state.json) agree on the paths.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface ClusterLayout {
  dataDir: string;
  clusterDir: string;
  etcdDataDir: string;
  pkiDir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  /** Serving certificate of controller-manager and scheduler, so their /healthz can be checked against our CA. */
  componentsCert: string;
  componentsKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
  /** Bearer tokens of every user and component, generated once (tokens.json) and given to the apiserver (tokens.csv). */
  tokensJson: string;
  tokenAuthFile: string;
  auditDir: string;
  auditPolicy: string;
  auditWebhookConfig: string;
  receiverTlsDir: string;
  receiverCa: string;
  receiverCaKey: string;
  receiverCert: string;
  receiverKey: string;
  kubeconfig: string;
  /** Kubeconfigs of the components that run as their own users (controller-manager, scheduler, kwok). */
  componentKubeconfigDir: string;
  kwokStagesDir: string;
  logsDir: string;
  runDir: string;
  supervisorPidFile: string;
  stateFile: string;
  portsFile: string;
  controlSocket: string;
}

// Unix socket paths must fit in sun_path (108 bytes on Linux); deep data directories fall back to the temp dir.
const MAX_SOCKET_PATH = 100;

export function clusterLayout(dataDir: string): ClusterLayout {
  const data = resolve(dataDir);
  const clusterDir = join(data, 'cluster');
  const pkiDir = join(clusterDir, 'pki');
  const auditDir = join(clusterDir, 'audit');
  const receiverTlsDir = join(clusterDir, 'receiver-tls');
  const runDir = join(clusterDir, 'run');
  const socketInRunDir = join(runDir, 'control.sock');
  const controlSocket =
    socketInRunDir.length <= MAX_SOCKET_PATH
      ? socketInRunDir
      : join(tmpdir(), `auditorium-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 16)}.sock`);
  return {
    dataDir: data,
    clusterDir,
    etcdDataDir: join(clusterDir, 'etcd'),
    pkiDir,
    caCert: join(pkiDir, 'ca.crt'),
    caKey: join(pkiDir, 'ca.key'),
    apiserverCert: join(pkiDir, 'apiserver.crt'),
    apiserverKey: join(pkiDir, 'apiserver.key'),
    componentsCert: join(pkiDir, 'components.crt'),
    componentsKey: join(pkiDir, 'components.key'),
    serviceAccountKey: join(pkiDir, 'sa.key'),
    serviceAccountPublicKey: join(pkiDir, 'sa.pub'),
    tokensJson: join(pkiDir, 'tokens.json'),
    tokenAuthFile: join(pkiDir, 'tokens.csv'),
    auditDir,
    auditPolicy: join(auditDir, 'audit-policy.yaml'),
    auditWebhookConfig: join(auditDir, 'audit-webhook.yaml'),
    receiverTlsDir,
    receiverCa: join(receiverTlsDir, 'ca.crt'),
    receiverCaKey: join(receiverTlsDir, 'ca.key'),
    receiverCert: join(receiverTlsDir, 'tls.crt'),
    receiverKey: join(receiverTlsDir, 'tls.key'),
    kubeconfig: join(clusterDir, 'kubeconfig'),
    componentKubeconfigDir: join(clusterDir, 'components'),
    kwokStagesDir: join(clusterDir, 'kwok-stages'),
    logsDir: join(clusterDir, 'logs'),
    runDir,
    supervisorPidFile: join(clusterDir, 'supervisor.pid'),
    stateFile: join(clusterDir, 'state.json'),
    portsFile: join(runDir, 'ports.json'),
    controlSocket,
  };
}
