import { AUTH_RULES, type ChangePasswordRequest } from '@conecta/contracts';
import { useMutation } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';

export const CHANGE_PASSWORD_RULES = {
  currentPassword: AUTH_RULES.password,
  newPassword: AUTH_RULES.newPassword,
};

export function changePassword(input: ChangePasswordRequest): Promise<void> {
  return apiPost<void>('/api/v1/auth/password', input);
}

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}
