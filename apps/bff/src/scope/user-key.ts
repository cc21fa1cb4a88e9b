import type { UserKube } from '../kube/user-kube.ts';

/**
 * A cache key per user: users with the same name, uid and groups have the same RBAC, whichever credential
 * they came with, so what was computed for one of their requests holds for the others.
 */
export function userKey({ user }: UserKube): string {
  return JSON.stringify([user.username, user.uid ?? '', [...user.groups].sort()]);
}
