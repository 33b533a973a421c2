import type { BotSwitchRequest, ConversationView } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost, apiPut } from '../../../lib/api-client';
import { conversationKeys } from './keys';

/** What a team member does with a conversation: take it, assign it, close or reopen it, the bot switch. */
export type HandleConversationInput =
  | { id: string; action: 'take' | 'close' | 'reopen' }
  | { id: string; action: 'assign'; userId: string | null }
  | { id: string; action: 'bot'; bot: BotSwitchRequest };

export function handleConversation(input: HandleConversationInput): Promise<ConversationView> {
  const base = `/api/v1/conversations/${encodeURIComponent(input.id)}`;
  switch (input.action) {
    case 'assign':
      return apiPost<ConversationView>(`${base}/assign`, { userId: input.userId });
    case 'bot':
      return apiPut<ConversationView>(`${base}/bot`, input.bot);
    default:
      return apiPost<ConversationView>(`${base}/${input.action}`);
  }
}

export function useHandleConversation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: handleConversation,
    onSuccess: (view) => qc.setQueryData(conversationKeys.detail(view.id), view),
    onSettled: () => qc.invalidateQueries({ queryKey: conversationKeys.all }),
  });
}
