// The ks-apiserver stand-in as a process: `node ks-apiserver-main.ts --kube-apiserver=… …`. Like ks-apiserver it
// reads kubesphere.yaml from ConfigMap kubesphere-system/kubesphere-config once, when it starts, so a change of
// `auditing.enable` applies at the next start (`kubectl rollout restart deployment/ks-apiserver -n
// kubesphere-system`, which the stand-in's supervisor turns into a restart of this process). The Webhook CR is
// watched, so its auditLevel and k8sAuditingEnabled apply at once. SIGTERM sends what is queued, then exits.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { kubesphereConfig, readAuditingSection, webhookName } from '@auditorium/audit-model';
import { CoreV1Api } from '@kubernetes/client-node';
import { clientConfig } from '../kubeconfig.ts';
import { errorText } from '../seed.ts';
import { EventSender, parseGoDuration } from './event-sender.ts';
import { KsApiserver } from './ks-apiserver.ts';
import { auditPolicyOf, watchWebhookAuditPolicy } from './webhook-audit-policy.ts';

/** ks-apiserver's defaults when kubesphere.yaml leaves a value out or at 0 (pkg/simple/client/auditing/options.go). */
const DEFAULT_WEBHOOK_URL = 'https://kube-auditing-webhook-svc.kubesphere-logging-system.svc:6443/audit/webhook/event';
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_BATCH_INTERVAL_MS = 3_000;
const DEFAULT_SENDERS = 100;

const { values: flags } = parseArgs({
  options: {
    'kube-apiserver': { type: 'string' },
    'ca-file': { type: 'string' },
    'token-file': { type: 'string' },
    'tls-cert-file': { type: 'string' },
    'tls-private-key-file': { type: 'string' },
    'bind-address': { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    /** The CA the receiver's certificate is signed by. */
    'receiver-ca-file': { type: 'string' },
    /** namespace/name of the ConfigMap holding kubesphere.yaml. */
    'kubesphere-config': { type: 'string', default: `${kubesphereConfig.namespace}/${kubesphereConfig.name}` },
    'auditing-webhook-name': { type: 'string', default: webhookName },
  },
});

function required(name: keyof typeof flags): string {
  const value = flags[name];
  if (typeof value !== 'string' || value === '') {
    process.stderr.write(`ks-apiserver: --${name} is required\n`);
    process.exit(2);
  }
  return value;
}

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

const upstream = required('kube-apiserver');
const caPem = readFileSync(required('ca-file'), 'utf8');
const token = readFileSync(required('token-file'), 'utf8').trim();
const kubeConfig = clientConfig(upstream, caPem, token);
const [configNamespace = '', configName = ''] = (flags['kubesphere-config'] ?? '').split('/');

/** kubesphere.yaml's auditing section, as it is now; retried while kube-apiserver is not answering yet. */
async function readAuditingAtStart() {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  for (let attempt = 0; ; attempt++) {
    try {
      const configMap = await core.readNamespacedConfigMap({ namespace: configNamespace, name: configName });
      const text = configMap.data?.[kubesphereConfig.key];
      if (text === undefined) {
        log(`ConfigMap ${configNamespace}/${configName} has no ${kubesphereConfig.key}: auditing is off`);
        return null;
      }
      return readAuditingSection(text);
    } catch (error) {
      if ((error as { code?: number }).code === 404) {
        log(`ConfigMap ${configNamespace}/${configName} does not exist: auditing is off`);
        return null;
      }
      if (attempt >= 20) throw error;
      log(`reading ConfigMap ${configNamespace}/${configName}: ${errorText(error)}; retrying`);
      await sleep(500);
    }
  }
}

const auditing = await readAuditingAtStart();
let sender: EventSender | null = null;
if (auditing?.enable) {
  const url = auditing.webhookURL || DEFAULT_WEBHOOK_URL;
  const interval = auditing.eventBatchInterval ? parseGoDuration(auditing.eventBatchInterval) : null;
  sender = new EventSender({
    url,
    caPem: flags['receiver-ca-file'] ? readFileSync(flags['receiver-ca-file'], 'utf8') : undefined,
    batchSize: auditing.eventBatchSize || DEFAULT_BATCH_SIZE,
    batchIntervalMs: interval || DEFAULT_BATCH_INTERVAL_MS,
    sendersNum: auditing.eventSendersNum || DEFAULT_SENDERS,
    log,
  });
  log(`auditing.enable is true: sending events to ${url}`);
} else if (auditing) {
  log('auditing.enable is false in kubesphere.yaml: not auditing (restart ks-apiserver after changing it)');
}

const webhook = watchWebhookAuditPolicy(kubeConfig, flags['auditing-webhook-name'] ?? webhookName, log);
// Until the first list, a request cannot know the level; ks-apiserver waits for its informers to sync too.
await webhook.synced;

const server = new KsApiserver({
  upstream,
  caPem,
  kubeConfig,
  tls: {
    certPem: readFileSync(required('tls-cert-file'), 'utf8'),
    keyPem: readFileSync(required('tls-private-key-file'), 'utf8'),
  },
  sender,
  auditPolicy: () => auditPolicyOf(webhook.current()),
  log,
});
const port = Number(required('port'));
await server.listen(port, flags['bind-address']);
log(`serving on https://${flags['bind-address']}:${port}`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close();
  await webhook.stop();
  await sender?.drain();
  process.exit(0);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown());
