import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { okJson } from '../../../lib/api-error.ts';

/**
 * `POST /api/session` with a bearer token. The BFF checks it with the apiserver, keeps it server-side and
 * answers with an HttpOnly cookie; the token is never stored in the browser, and the form forgets it.
 */
export async function signIn(token: string) {
  return okJson(api.session.$post({ json: { token } }));
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ['session', 'sign-in'],
    mutationFn: signIn,
    // Whatever was cached belonged to the previous user (or to nobody).
    onSuccess: () => queryClient.clear(),
  });
}
