import type { ChannelCounts } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet, query } from '../../../lib/api-client';
import { LIST_POLL_MS } from './get-conversations';
import { conversationKeys } from './keys';

export function getChannelCounts(chatbotId: string): Promise<ChannelCounts> {
  return apiGet<ChannelCounts>(`/api/v1/conversations/counts${query({ chatbotId })}`);
}

export const channelCountsQueryOptions = (chatbotId: string) =>
  queryOptions({
    queryKey: conversationKeys.counts(chatbotId),
    queryFn: () => getChannelCounts(chatbotId),
    refetchInterval: LIST_POLL_MS,
  });

export function useChannelCounts(chatbotId: string) {
  return useQuery(channelCountsQueryOptions(chatbotId));
}
