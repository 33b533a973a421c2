import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

const STORAGE_KEY = 'conecta.chatbotId';

interface ChatbotSelection {
  chatbotId: string | null;
  setChatbotId: (id: string | null) => void;
}

const Ctx = createContext<ChatbotSelection | null>(null);

/** Which chatbot the dashboard is looking at; shared by every feature, chosen in the layout. */
export function ChatbotSelectionProvider({
  children,
  initial,
}: {
  children: ReactNode;
  initial?: string | null;
}): React.JSX.Element {
  const [chatbotId, setState] = useState<string | null>(() => {
    if (initial !== undefined) return initial;
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  });
  const setChatbotId = useCallback((id: string | null) => {
    setState(id);
    try {
      if (id) window.localStorage.setItem(STORAGE_KEY, id);
      else window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Not persisted; fine.
    }
  }, []);
  const value = useMemo(() => ({ chatbotId, setChatbotId }), [chatbotId, setChatbotId]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useChatbotSelection(): ChatbotSelection {
  const v = useContext(Ctx);
  if (!v) throw new Error('useChatbotSelection must be used inside <ChatbotSelectionProvider>');
  return v;
}
