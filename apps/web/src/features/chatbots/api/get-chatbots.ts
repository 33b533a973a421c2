import type { ChatbotView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { chatbotKeys } from './keys';

export function getChatbots(): Promise<ChatbotView[]> {
  return apiGet<ChatbotView[]>('/api/v1/chatbots');
}

export const chatbotsQueryOptions = () =>
  queryOptions({ queryKey: chatbotKeys.lists(), queryFn: getChatbots });

export function useChatbots() {
  return useQuery(chatbotsQueryOptions());
}
