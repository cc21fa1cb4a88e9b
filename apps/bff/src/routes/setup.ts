import { Hono } from 'hono';
import { z } from 'zod';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import { validate } from '../middleware/validator.ts';
import {
  apiserverManifestSnippetYaml,
  auditPolicyPath,
  auditWebhookConfigPath,
  GoDuration,
} from '../setup/apiserver-manifest.ts';
import { auditPolicy, auditPolicyYaml, PolicyPreset, presetDescriptions } from '../setup/audit-policy.ts';
import { auditWebhookConfigYaml } from '../setup/audit-webhook-config.ts';
import { locateReceiver, type ReceiverLocation } from '../setup/receiver-location.ts';
import { estimateTraffic, type TrafficEstimate, type TrafficSource } from '../setup/traffic-estimate.ts';

/**
 * The Kubernetes side of auditing: the files an admin puts on the control-plane nodes so kube-apiserver
 * sends its audit events to the receiver, and how many events a day the chosen policy would make.
 * Generated as the signed-in user (the receiver's Service and CA Secret are read with their rights).
 */
export interface SetupRoutesOptions {
  /** Recent request counts from the archive; absent until the archive is wired, and the estimate says so. */
  traffic?: TrafficSource;
  /** RECEIVER_CA_FILE: the receiver's CA when no Secret holds it. */
  receiverCaFile?: string;
}

export interface GeneratedFile {
  /** Where the file goes on each control-plane node. */
  path: string;
  description: string;
  content: string;
}

export interface SetupFiles {
  preset: PolicyPreset;
  presetDescription: string;
  files: {
    auditPolicy: GeneratedFile;
    auditWebhookConfig: GeneratedFile;
    apiserverManifest: GeneratedFile;
  };
  receiver: Omit<ReceiverLocation, 'ca'>;
  estimate: TrafficEstimate;
  notes: string[];
}

export const setupRequest = z.object({
  preset: PolicyPreset.default('recommended'),
  batchMaxWait: GoDuration.default('1s'),
  /** The receiver's bearer token, if it requires one; written into the webhook kubeconfig only. */
  token: z.string().trim().min(1).optional(),
  /** The receiver URL when the Service's ClusterIP is not right (NodePort, load balancer). */
  server: z.url({ protocol: /^https$/, message: 'server must be an https:// URL' }).optional(),
});

export function setupRoutes(options: SetupRoutesOptions = {}) {
  return new Hono<AuthenticatedEnv>().post('/', validate('json', setupRequest), async (c) => {
    const request = c.req.valid('json');
    const [receiver, traffic] = await Promise.all([
      locateReceiver(c.var.userKube.kubeConfig, { server: request.server, receiverCaFile: options.receiverCaFile }),
      options.traffic?.recentTraffic().catch(() => undefined),
    ]);
    const { ca, ...receiverInfo } = receiver;
    const setup: SetupFiles = {
      preset: request.preset,
      presetDescription: presetDescriptions[request.preset],
      files: {
        auditPolicy: {
          path: auditPolicyPath,
          description: 'The audit policy: which requests are recorded, at which level.',
          content: auditPolicyYaml(request.preset),
        },
        auditWebhookConfig: {
          path: auditWebhookConfigPath,
          description: 'The audit webhook kubeconfig: the receiver URL and the CA that verifies it.',
          content: auditWebhookConfigYaml({ server: receiver.server, ca, token: request.token }),
        },
        apiserverManifest: {
          path: '/etc/kubernetes/manifests/kube-apiserver.yaml',
          description: 'What to merge into the kube-apiserver static pod: flags and the hostPath mount.',
          content: apiserverManifestSnippetYaml({ batchMaxWait: request.batchMaxWait }),
        },
      },
      receiver: receiverInfo,
      estimate: options.traffic
        ? estimateTraffic(auditPolicy(request.preset), traffic)
        : {
            available: false,
            reason: 'No archive is connected to this server, so there is no traffic to estimate from.',
          },
      notes: [
        `--audit-webhook-batch-max-wait=${request.batchMaxWait}: kube-apiserver sends a batch at least this often. Its default, 30s, makes the live view lag by up to 30 seconds.`,
        'kube-apiserver reads the policy only at start: change the files, then let the kubelet restart it (touch the manifest).',
        "The receiver's certificate must name the address in the webhook kubeconfig (Go refuses certificates without SANs).",
      ],
    };
    return c.json(setup, 200);
  });
}
