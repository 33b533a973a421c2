import type { PublicChatRequest, PublicChatResponse } from '@conecta/contracts';
import { useMutation } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';

/** Talks to the bot through its public web channel, as a site visitor would. */
export function sendTestMessage({
  publicId,
  input,
}: {
  publicId: string;
  input: PublicChatRequest;
}): Promise<PublicChatResponse> {
  return apiPost<PublicChatResponse>(
    `/api/v1/public/chatbots/${encodeURIComponent(publicId)}/messages`,
    input,
  );
}

export function useSendTestMessage() {
  return useMutation({ mutationFn: sendTestMessage });
}
