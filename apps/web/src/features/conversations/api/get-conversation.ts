import type { ConversationView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { conversationKeys } from './keys';

export function getConversation(id: string): Promise<ConversationView> {
  return apiGet<ConversationView>(`/api/v1/conversations/${encodeURIComponent(id)}`);
}

export const conversationQueryOptions = (id: string) =>
  queryOptions({ queryKey: conversationKeys.detail(id), queryFn: () => getConversation(id) });

export function useConversation(id: string) {
  return useQuery(conversationQueryOptions(id));
}
