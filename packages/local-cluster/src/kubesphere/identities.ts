// Tokens for the KubeSphere programs' ServiceAccounts (seed/kubesphere/identities.yaml), from the TokenRequest API
// as a kubelet gets them for a pod. The bootstrap identity applies the accounts and asks for the tokens.
import { CoreV1Api, type KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { FIELD_MANAGER, loadSeedObjects } from '../seed.ts';

export const KS_APISERVER_ACCOUNT = { namespace: 'kubesphere-system', name: 'kubesphere' } as const;
export const AUDITING_OPERATOR_ACCOUNT = {
  namespace: 'kubesphere-logging-system',
  name: 'kube-auditing-operator',
} as const;

// A pod's projected token lives an hour and is refreshed by the kubelet; the stand-ins have no kubelet, so they get
// one long-lived token per start instead (the apiserver sets no maximum here).
const TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;

export async function applyIdentities(bootstrap: KubeConfig): Promise<void> {
  const objects = KubernetesObjectApi.makeApiClient(bootstrap);
  for (const object of loadSeedObjects('kubesphere/identities.yaml')) {
    await objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
}

export async function serviceAccountToken(
  bootstrap: KubeConfig,
  account: { namespace: string; name: string },
): Promise<string> {
  const core = bootstrap.makeApiClient(CoreV1Api);
  const request = await core.createNamespacedServiceAccountToken({
    namespace: account.namespace,
    name: account.name,
    body: { spec: { audiences: [], expirationSeconds: TOKEN_LIFETIME_SECONDS } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token issued for ServiceAccount ${account.namespace}/${account.name}`);
  return token;
}
