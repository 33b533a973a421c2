import type { ConversationView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { pollWhenStreamDown } from '../../../lib/event-stream';
import { LIST_POLL_MS } from './get-conversations';
import { conversationKeys } from './keys';

export function getConversation(id: string): Promise<ConversationView> {
  return apiGet<ConversationView>(`/api/v1/conversations/${encodeURIComponent(id)}`);
}

export const conversationQueryOptions = (id: string) =>
  queryOptions({
    queryKey: conversationKeys.detail(id),
    queryFn: () => getConversation(id),
    refetchInterval: pollWhenStreamDown(LIST_POLL_MS),
  });

export function useConversation(id: string) {
  return useQuery(conversationQueryOptions(id));
}
