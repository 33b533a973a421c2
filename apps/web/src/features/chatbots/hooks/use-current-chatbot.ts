import type { ChatbotView } from '@conecta/contracts';
import { useEffect } from 'react';
import { useChatbotSelection } from '../../../lib/chatbot-selection';
import { useChatbots } from '../api/get-chatbots';

/** The selected chatbot, falling back to the first one when the stored choice is gone. */
export function useCurrentChatbot(): {
  chatbot: ChatbotView | null;
  chatbots: ChatbotView[];
  isPending: boolean;
  isError: boolean;
  refetch: () => void;
} {
  const { chatbotId, setChatbotId } = useChatbotSelection();
  const query = useChatbots();
  const chatbots = query.data ?? [];
  const chatbot = chatbots.find((c) => c.id === chatbotId) ?? chatbots[0] ?? null;
  useEffect(() => {
    if (chatbot && chatbot.id !== chatbotId) setChatbotId(chatbot.id);
  }, [chatbot, chatbotId, setChatbotId]);
  return {
    chatbot,
    chatbots,
    isPending: query.isPending,
    // A failed refetch keeps what was shown (the offline banner says why).
    isError: query.isError && !query.data,
    refetch: () => void query.refetch(),
  };
}
