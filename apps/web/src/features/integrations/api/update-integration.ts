import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPatch } from '../../../lib/api-client';
import { integrationKeys } from './keys';
import type { IntegrationStatus, UpdateIntegrationInput } from './types';

export function updateIntegration({
  id,
  input,
}: {
  id: string;
  input: UpdateIntegrationInput;
}): Promise<IntegrationStatus> {
  return apiPatch<IntegrationStatus>(`/api/v1/integrations/${encodeURIComponent(id)}`, input);
}

export function useUpdateIntegration() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateIntegration,
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.lists() }),
  });
}

/**
 * Connect or disconnect, shown at once: the card changes before the server answers and goes back
 * if it refuses.
 */
export function useSetIntegrationActive(chatbotId: string) {
  const qc = useQueryClient();
  const key = integrationKeys.list(chatbotId);
  return useMutation({
    mutationFn: ({ id, isActive }: { id: string; isActive: boolean }) =>
      updateIntegration({ id, input: { isActive } }),
    onMutate: async ({ id, isActive }) => {
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<IntegrationStatus[]>(key);
      qc.setQueryData<IntegrationStatus[]>(key, (list) =>
        list?.map((i) =>
          i.id === id
            ? {
                ...i,
                isActive,
                status: isActive ? (i.errorType ? 'error' : 'connected') : 'disconnected',
              }
            : i,
        ),
      );
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context?.previous) qc.setQueryData(key, context.previous);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: integrationKeys.lists() }),
  });
}
