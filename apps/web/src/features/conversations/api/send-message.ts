import type { AgentMessageRequest, MessageView } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { conversationKeys } from './keys';

export interface SendMessageInput extends AgentMessageRequest {
  conversationId: string;
  /** Kept across retries of one send, so the API stores and sends it once. */
  idempotencyKey: string;
}

/** An agent's reply; the API stores it pending and sends it (WhatsApp) or serves it to the poll (web). */
export function sendMessage({
  conversationId,
  content,
  idempotencyKey,
}: SendMessageInput): Promise<MessageView> {
  return apiPost<MessageView>(
    `/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
    { content },
    { 'Idempotency-Key': idempotencyKey },
  );
}

export function useSendMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: sendMessage,
    onSettled: (_data, _error, { conversationId }) =>
      qc.invalidateQueries({ queryKey: conversationKeys.detail(conversationId) }),
  });
}
