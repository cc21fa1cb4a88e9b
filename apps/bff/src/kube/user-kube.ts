import type { KubeConfig } from '@kubernetes/client-node';

/**
 * The signed-in user's way into the cluster, set on every authenticated request by the identity
 * middleware. Every Kubernetes call a route makes for a user goes through `kubeConfig`, which carries
 * that user's own credentials (their bearer token, or in local mode the kubeconfig's identity), so
 * cluster RBAC decides. Routes never build clients from the server's own identity for user actions.
 */
export interface SignedInUser {
  username: string;
  uid?: string;
  groups: string[];
}

export interface UserKube {
  user: SignedInUser;
  /** A KubeConfig whose current context authenticates as this user. */
  kubeConfig: KubeConfig;
}

/** Hono environment for routes behind the identity middleware: `c.var.userKube`. */
export interface AuthenticatedEnv {
  Variables: { userKube: UserKube };
}
