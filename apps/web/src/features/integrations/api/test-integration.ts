import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { integrationKeys } from './keys';
import type { ConnectionTestResult, RetestIntegrationInput } from './types';

/**
 * Re-tests a saved integration with its stored token; with edited ids, tests those (nothing saved).
 * The token stays on the server.
 */
export function testIntegration({
  id,
  ...edited
}: { id: string } & RetestIntegrationInput): Promise<ConnectionTestResult> {
  return apiPost<ConnectionTestResult>(
    `/api/v1/integrations/${encodeURIComponent(id)}/test`,
    edited,
  );
}

export function useTestIntegration() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: testIntegration,
    onSettled: () => qc.invalidateQueries({ queryKey: integrationKeys.lists() }),
  });
}
