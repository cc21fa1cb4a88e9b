import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

/** `DELETE /api/session`: the server forgets the credential and clears the cookie. */
export async function signOut() {
  return okJson(api.session.$delete());
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['session', 'sign-out'],
    mutationFn: signOut,
    onSuccess: () => queryClient.clear(),
  });
}
