import type { AgentMessageRequest, MessageView } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { conversationKeys } from './keys';

export interface SendMessageInput extends AgentMessageRequest {
  conversationId: string;
  /** Kept across retries of one send, so the API stores and sends it once. */
  idempotencyKey: string;
  /** A file to send (WhatsApp): `content` is then its optional caption. */
  file?: File;
}

/**
 * An agent's reply; the API stores it pending and sends it (WhatsApp) or serves it to the poll
 * (web). A file goes as `multipart/form-data` (`file` and `caption`) to the same endpoint.
 */
export function sendMessage({
  conversationId,
  content,
  idempotencyKey,
  file,
}: SendMessageInput): Promise<MessageView> {
  let body: FormData | AgentMessageRequest = { content };
  if (file) {
    body = new FormData();
    body.append('file', file, file.name);
    if (content) body.append('caption', content);
  }
  return apiPost<MessageView>(
    `/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
    body,
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
