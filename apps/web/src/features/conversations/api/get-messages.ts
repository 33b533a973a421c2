import type { MessagePage } from '@conecta/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { pollWhenStreamDown } from '../../../lib/event-stream';
import { apiGet, query } from '../../../lib/api-client';
import { conversationKeys } from './keys';

/** Delivery ticks move on their own: poll while a thread is open. */
export const THREAD_POLL_MS = 2500;

/** The first page holds the newest messages; `nextCursor` goes back in time. */
export function getMessages(conversationId: string, cursor?: string): Promise<MessagePage> {
  return apiGet<MessagePage>(
    `/api/v1/conversations/${encodeURIComponent(conversationId)}/messages${query({ cursor })}`,
  );
}

export const messagesQueryOptions = (conversationId: string) =>
  infiniteQueryOptions({
    queryKey: conversationKeys.messages(conversationId),
    queryFn: ({ pageParam }) => getMessages(conversationId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: pollWhenStreamDown(THREAD_POLL_MS),
  });

/** `enabled`: false until the conversation itself is known to exist (one request for a bad id). */
export function useMessages(conversationId: string, enabled = true) {
  return useInfiniteQuery({ ...messagesQueryOptions(conversationId), enabled });
}
