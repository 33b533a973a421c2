import { Skeleton } from '../../../components/skeleton';
import { useChatbotSelection } from '../../../lib/chatbot-selection';
import { useI18n } from '../../../lib/i18n/i18n';
import { useCurrentChatbot } from '../hooks/use-current-chatbot';

export function ChatbotSwitcher(): React.JSX.Element {
  const { t } = useI18n();
  const { setChatbotId } = useChatbotSelection();
  const { chatbot, chatbots, isPending } = useCurrentChatbot();
  if (isPending) return <Skeleton height={40} />;
  return (
    <label className="select-chatbot sidebar-switcher">
      <span className="select-label">{t('chatbots.switcher')}</span>
      <select
        className="select"
        value={chatbot?.id ?? ''}
        onChange={(e) => setChatbotId(e.target.value)}
        disabled={chatbots.length === 0}
      >
        {chatbots.length === 0 ? <option value="">{t('chatbots.none')}</option> : null}
        {chatbots.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
