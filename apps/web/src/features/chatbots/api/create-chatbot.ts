import type { ChatbotView, CreateChatbotRequest } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { chatbotKeys } from './keys';

export function createChatbot(input: CreateChatbotRequest): Promise<ChatbotView> {
  return apiPost<ChatbotView>('/api/v1/chatbots', input);
}

export function useCreateChatbot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createChatbot,
    onSuccess: () => qc.invalidateQueries({ queryKey: chatbotKeys.lists() }),
  });
}
