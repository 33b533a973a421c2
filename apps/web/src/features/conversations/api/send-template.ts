import type { MessageView, TemplateSendRequest } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import { conversationKeys } from './keys';

export interface SendTemplateInput extends TemplateSendRequest {
  conversationId: string;
  /** Kept across retries of one send, so the API stores and sends it once. */
  idempotencyKey: string;
}

/** A template send (also outside the 24-hour window); the API checks the values first. */
export function sendTemplate({
  conversationId,
  idempotencyKey,
  ...body
}: SendTemplateInput): Promise<MessageView> {
  return apiPost<MessageView>(
    `/api/v1/conversations/${encodeURIComponent(conversationId)}/templates`,
    body,
    { 'Idempotency-Key': idempotencyKey },
  );
}

export function useSendTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: sendTemplate,
    onSettled: (_data, _error, { conversationId }) =>
      qc.invalidateQueries({ queryKey: conversationKeys.detail(conversationId) }),
  });
}
