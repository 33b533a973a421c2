import { CHATBOT_DEFAULTS } from '@conecta/contracts';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState } from '../../../components/empty-state';
import { SkeletonList } from '../../../components/skeleton';
import { useToast } from '../../../components/toast';
import { useChatbotSelection } from '../../../lib/chatbot-selection';
import { errorMessage } from '../../../lib/error-message';
import { useI18n } from '../../../lib/i18n/i18n';
import { useIsAdmin } from '../../../lib/session';
import { useCreateChatbot } from '../api/create-chatbot';
import { useCurrentChatbot } from '../hooks/use-current-chatbot';
import { ChatbotForm } from './chatbot-form';
import { TestChat } from './test-chat';

export function ChatbotsPage(): React.JSX.Element {
  const { t, lang } = useI18n();
  const toast = useToast();
  const isAdmin = useIsAdmin();
  const { setChatbotId } = useChatbotSelection();
  const { chatbot, chatbots, isPending, isError, refetch } = useCurrentChatbot();
  const create = useCreateChatbot();

  function createBot(): void {
    create.mutate(
      {
        name: t('chatbots.defaultName', { n: chatbots.length + 1 }),
        language: lang,
        ...CHATBOT_DEFAULTS[lang],
      },
      {
        onSuccess: (bot) => {
          setChatbotId(bot.id);
          toast(t('chatbots.created'));
        },
        onError: (e) => toast(errorMessage(e, t), 'error'),
      },
    );
  }

  return (
    <>
      <header className="page-header">
        <div className="stack-sm">
          <h1>{t('chatbots.title')}</h1>
          <p className="muted">{t('chatbots.subtitle')}</p>
        </div>
        {isAdmin ? (
          <Button variant="primary" onClick={createBot} loading={create.isPending}>
            + {t('chatbots.create')}
          </Button>
        ) : null}
      </header>
      {isPending ? (
        <SkeletonList label={t('common.loading')} rows={3} height={80} />
      ) : isError ? (
        <ErrorState
          message={t('common.loadError')}
          onRetry={refetch}
          retryLabel={t('common.retry')}
        />
      ) : chatbots.length === 0 || !chatbot ? (
        <EmptyState title={t('chatbots.empty')}>{t('chatbots.emptyHint')}</EmptyState>
      ) : (
        <div className="two-col">
          <nav aria-label={t('chatbots.select')}>
            <ul className="list-plain divided card" style={{ padding: 0 }}>
              {chatbots.map((b) => (
                <li key={b.id}>
                  <button
                    type="button"
                    className="btn btn-ghost"
                    style={{ width: '100%', justifyContent: 'flex-start', borderRadius: 0 }}
                    aria-current={b.id === chatbot.id ? 'true' : undefined}
                    onClick={() => setChatbotId(b.id)}
                  >
                    {b.id === chatbot.id ? '● ' : ''}
                    {b.name}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div className="stack">
            <ChatbotForm bot={chatbot} readOnly={!isAdmin} />
            <TestChat key={chatbot.id} bot={chatbot} />
          </div>
        </div>
      )}
    </>
  );
}
