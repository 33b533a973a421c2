import type { ChatbotView, UpdateChatbotRequest } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPatch } from '../../../lib/api-client';
import { chatbotKeys } from './keys';

export function updateChatbot({
  id,
  input,
}: {
  id: string;
  input: UpdateChatbotRequest;
}): Promise<ChatbotView> {
  return apiPatch<ChatbotView>(`/api/v1/chatbots/${encodeURIComponent(id)}`, input);
}

export function useUpdateChatbot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateChatbot,
    onSuccess: (bot) => {
      qc.setQueryData(chatbotKeys.detail(bot.id), bot);
      return qc.invalidateQueries({ queryKey: chatbotKeys.lists() });
    },
  });
}
