import type { MessageRetryResponse } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { conversationKeys } from './keys';

/** Sends a failed bot reply again (admins). Refusals come back as an ApiError with `details.reason`. */
export function retryMessage({
  messageId,
}: {
  messageId: string;
  conversationId: string;
}): Promise<MessageRetryResponse> {
  return apiPost<MessageRetryResponse>(`/api/v1/messages/${encodeURIComponent(messageId)}/retry`);
}

export function useRetryMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: retryMessage,
    onSettled: (_r, _e, { conversationId }) =>
      qc.invalidateQueries({ queryKey: conversationKeys.messages(conversationId) }),
  });
}
