import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { authKeys } from './keys';

export function logout(): Promise<unknown> {
  return apiPost<unknown>('/api/v1/auth/logout');
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      // Whatever the answer, the session's data must not outlive the sign-out.
      qc.clear();
      qc.setQueryData(authKeys.me(), null);
    },
  });
}
