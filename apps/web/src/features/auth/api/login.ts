import type { LoginRequest, MeResponse } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { getMe } from './get-me';
import { authKeys } from './keys';

export async function login(input: LoginRequest): Promise<MeResponse | null> {
  await apiPost<unknown>('/api/v1/auth/login', input);
  return getMe();
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (me) => {
      qc.setQueryData(authKeys.me(), me);
    },
  });
}
