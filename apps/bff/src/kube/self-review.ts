import {
  AuthenticationV1Api,
  AuthorizationV1Api,
  type KubeConfig,
  type V1ResourceAttributes,
} from '@kubernetes/client-node';
import type { SignedInUser } from './user-kube.ts';

/** Who the apiserver says the holder of this config is (authentication.k8s.io/v1 SelfSubjectReview). */
export async function reviewSelf(kubeConfig: KubeConfig): Promise<SignedInUser> {
  const review = await kubeConfig.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  const info = review.status?.userInfo ?? {};
  const user: SignedInUser = { username: info.username ?? '', groups: info.groups ?? [] };
  if (info.uid) user.uid = info.uid;
  return user;
}

/** What the console shows beside an action: allowed, or why not (the authorizer's reason when it gives one). */
export interface Capability {
  allowed: boolean;
  reason?: string;
}

export type AccessQuestion = Pick<
  V1ResourceAttributes,
  'verb' | 'group' | 'resource' | 'subresource' | 'namespace' | 'name'
>;

function describe(question: AccessQuestion): string {
  const resource = [question.resource, question.subresource].filter(Boolean).join('/');
  const qualified = question.group ? `${resource}.${question.group}` : resource;
  const target = question.name ? `${qualified} "${question.name}"` : qualified;
  const where = question.namespace ? `in namespace "${question.namespace}"` : 'cluster-wide';
  return `${question.verb} ${target} ${where}`;
}

/** Asks the apiserver (as this user) whether they may do one thing: SelfSubjectAccessReview. */
export async function canI(kubeConfig: KubeConfig, question: AccessQuestion): Promise<Capability> {
  const review = await kubeConfig.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: question },
    },
  });
  const status = review.status;
  if (status?.allowed) return { allowed: true };
  const detail = status?.evaluationError || status?.reason;
  return {
    allowed: false,
    reason: `The cluster does not allow you to ${describe(question)}${detail ? ` (${detail})` : ''}.`,
  };
}
