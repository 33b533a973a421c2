import type { ConversationView, UpdateConversationRequest } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPatch } from '../../../lib/api-client';
import { conversationKeys } from './keys';

export function updateConversation({
  id,
  input,
}: {
  id: string;
  input: UpdateConversationRequest;
}): Promise<ConversationView> {
  return apiPatch<ConversationView>(`/api/v1/conversations/${encodeURIComponent(id)}`, input);
}

export function useUpdateConversation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateConversation,
    onMutate: async ({ id, input }) => {
      await qc.cancelQueries({ queryKey: conversationKeys.detail(id), exact: true });
      const previous = qc.getQueryData<ConversationView>(conversationKeys.detail(id));
      if (previous) qc.setQueryData(conversationKeys.detail(id), { ...previous, ...input });
      return { previous };
    },
    onError: (_e, { id }, context) => {
      if (context?.previous) qc.setQueryData(conversationKeys.detail(id), context.previous);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: conversationKeys.all }),
  });
}
