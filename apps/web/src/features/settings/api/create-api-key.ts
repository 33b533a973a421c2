import {
  AUTH_RULES,
  type CreateApiKeyRequest,
  type CreatedApiKeyResponse,
} from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { settingsKeys } from './keys';

export const CREATE_API_KEY_RULES = { name: AUTH_RULES.apiKeyName };

export function createApiKey(input: CreateApiKeyRequest): Promise<CreatedApiKeyResponse> {
  return apiPost<CreatedApiKeyResponse>('/api/v1/api-keys', input);
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createApiKey,
    onSuccess: () => qc.invalidateQueries({ queryKey: settingsKeys.all }),
  });
}
