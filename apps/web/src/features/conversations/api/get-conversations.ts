import type { ConversationListItem, CursorPage } from '@conecta/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { pollWhenStreamDown } from '../../../lib/event-stream';
import { apiGet, query } from '../../../lib/api-client';
import { conversationKeys, type ConversationFilters } from './keys';

export const LIST_POLL_MS = 5000;

export function getConversations(
  filters: ConversationFilters,
  cursor?: string,
): Promise<CursorPage<ConversationListItem>> {
  return apiGet(
    `/api/v1/conversations${query({
      chatbotId: filters.chatbotId,
      channel: filters.channel,
      status: filters.status,
      favorite: filters.favorite ? true : undefined,
      assignee: filters.assignee,
      q: filters.q,
      cursor,
      limit: 20,
    })}`,
  );
}

export const conversationsQueryOptions = (filters: ConversationFilters) =>
  infiniteQueryOptions({
    queryKey: conversationKeys.list(filters),
    queryFn: ({ pageParam }) => getConversations(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: pollWhenStreamDown(LIST_POLL_MS),
  });

export function useConversations(filters: ConversationFilters) {
  return useInfiniteQuery(conversationsQueryOptions(filters));
}
