// Who talks to the local apiserver, and with which bearer token. People (admin, tenant, viewer) get their rights
// only from the RBAC objects in seed/rbac.yaml, as on a real cluster. The components use the identities that
// Kubernetes' bootstrap RBAC policy already grants (system:kube-controller-manager, system:kube-scheduler).
// `local-cluster-bootstrap` is in system:masters, like kubeadm's super-admin.conf: it applies the seed,
// including the RBAC that everyone else depends on, so it cannot depend on that RBAC itself.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './pki.ts';

export type UserName = 'admin' | 'tenant' | 'viewer';
export type ComponentIdentity = 'bootstrap' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

interface Identity {
  user: string;
  groups: string[];
}

export const PEOPLE: Record<UserName, Identity> = {
  admin: { user: 'admin', groups: [] },
  tenant: { user: 'tenant', groups: [] },
  viewer: { user: 'viewer', groups: [] },
};

export const COMPONENTS: Record<ComponentIdentity, Identity> = {
  bootstrap: { user: 'local-cluster-bootstrap', groups: ['system:masters'] },
  'kube-controller-manager': { user: 'system:kube-controller-manager', groups: [] },
  'kube-scheduler': { user: 'system:kube-scheduler', groups: [] },
  // Bound to cluster-admin by seed/rbac.yaml, as kwokctl's kwok-controller runs with admin rights.
  kwok: { user: 'kwok-controller', groups: [] },
};

export type Tokens = Record<UserName | ComponentIdentity, string>;

/** Loads the tokens of this data directory, creating any that are missing; tokens survive restarts. */
export function ensureTokens(tokensJson: string, tokenAuthFile: string): Tokens {
  let stored: Partial<Tokens> = {};
  if (existsSync(tokensJson)) stored = JSON.parse(readFileSync(tokensJson, 'utf8')) as Partial<Tokens>;
  const names = [...Object.keys(PEOPLE), ...Object.keys(COMPONENTS)] as (UserName | ComponentIdentity)[];
  const tokens = Object.fromEntries(
    names.map((name) => [name, stored[name] ?? randomBytes(24).toString('base64url')]),
  ) as Tokens;
  writeFileAtomic(tokensJson, `${JSON.stringify(tokens, null, 2)}\n`, 0o600);
  writeFileAtomic(tokenAuthFile, tokenAuthCsv(tokens), 0o600);
  return tokens;
}

/** kube-apiserver's --token-auth-file: `token,user,uid,"group1,group2"` per line. */
export function tokenAuthCsv(tokens: Tokens): string {
  const rows = [
    ...Object.entries(PEOPLE).map(([name, identity]) => [tokens[name as UserName], identity] as const),
    ...Object.entries(COMPONENTS).map(([name, identity]) => [tokens[name as ComponentIdentity], identity] as const),
  ];
  return `${rows
    .map(([token, { user, groups }]) => {
      const base = `${token},${user},${user}`;
      return groups.length > 0 ? `${base},"${groups.join(',')}"` : base;
    })
    .join('\n')}\n`;
}
