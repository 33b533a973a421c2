import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete } from '../../../lib/api-client';
import { integrationKeys } from './keys';
import type { IntegrationStatus } from './types';

export function deleteIntegration(id: string): Promise<void> {
  return apiDelete(`/api/v1/integrations/${encodeURIComponent(id)}`);
}

export function useDeleteIntegration(chatbotId: string) {
  const qc = useQueryClient();
  const key = integrationKeys.list(chatbotId);
  return useMutation({
    mutationFn: deleteIntegration,
    onMutate: async (id) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<IntegrationStatus[]>(key);
      qc.setQueryData<IntegrationStatus[]>(key, (list) => list?.filter((i) => i.id !== id));
      return { previous };
    },
    onError: (_e, _id, context) => {
      if (context?.previous) qc.setQueryData(key, context.previous);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: integrationKeys.lists() }),
  });
}
