import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { integrationKeys } from './keys';
import type { ConnectionTestResult } from './types';

/** Re-tests a saved integration with its stored credentials. */
export function testIntegration(id: string): Promise<ConnectionTestResult> {
  return apiPost<ConnectionTestResult>(`/api/v1/integrations/${encodeURIComponent(id)}/test`);
}

export function useTestIntegration() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: testIntegration,
    onSettled: () => qc.invalidateQueries({ queryKey: integrationKeys.lists() }),
  });
}
