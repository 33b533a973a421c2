import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ToastProvider } from '../components/toast';
import { ChatbotSelectionProvider } from '../lib/chatbot-selection';
import { I18nProvider, useI18n, type Language } from '../lib/i18n/i18n';

function Toasts({ children }: { children: ReactNode }): React.JSX.Element {
  const { t } = useI18n();
  return <ToastProvider dismissLabel={t('common.dismiss')}>{children}</ToastProvider>;
}

/** Everything a screen needs around it; the tests render with the same providers. */
export function AppProviders({
  client,
  language,
  chatbotId,
  children,
}: {
  client: QueryClient;
  language?: Language;
  chatbotId?: string | null;
  children: ReactNode;
}): React.JSX.Element {
  return (
    <QueryClientProvider client={client}>
      <I18nProvider language={language}>
        <ChatbotSelectionProvider initial={chatbotId}>
          <Toasts>{children}</Toasts>
        </ChatbotSelectionProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
