import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { integrationKeys } from './keys';
import type { CreateWhatsAppIntegrationInput, IntegrationStatus } from './types';

export function createIntegration(
  input: CreateWhatsAppIntegrationInput,
): Promise<IntegrationStatus> {
  return apiPost<IntegrationStatus>('/api/v1/integrations', input);
}

export function useCreateIntegration() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createIntegration,
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.lists() }),
  });
}
