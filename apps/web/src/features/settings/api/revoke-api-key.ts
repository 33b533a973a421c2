import type { ApiKeyView } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { settingsKeys } from './keys';

export function revokeApiKey(id: string): Promise<ApiKeyView> {
  return apiPost<ApiKeyView>(`/api/v1/api-keys/${encodeURIComponent(id)}/revoke`);
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: revokeApiKey,
    onSuccess: () => qc.invalidateQueries({ queryKey: settingsKeys.all }),
  });
}
