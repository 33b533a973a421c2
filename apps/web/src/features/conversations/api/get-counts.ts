import type { ConversationCounts } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { pollWhenStreamDown } from '../../../lib/event-stream';
import { apiGet, query } from '../../../lib/api-client';
import { LIST_POLL_MS } from './get-conversations';
import { conversationKeys } from './keys';

export function getConversationCounts(chatbotId: string): Promise<ConversationCounts> {
  return apiGet<ConversationCounts>(`/api/v1/conversations/counts${query({ chatbotId })}`);
}

export const conversationCountsQueryOptions = (chatbotId: string) =>
  queryOptions({
    queryKey: conversationKeys.counts(chatbotId),
    queryFn: () => getConversationCounts(chatbotId),
    refetchInterval: pollWhenStreamDown(LIST_POLL_MS),
  });

export function useConversationCounts(chatbotId: string) {
  return useQuery(conversationCountsQueryOptions(chatbotId));
}
