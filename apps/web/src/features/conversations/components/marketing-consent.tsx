import type { ConversationView } from '@conecta/contracts';
import { dateTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';

/** The customer's marketing consent and its history (when, how), once it ever changed. */
export function MarketingConsent({
  conversation,
}: {
  conversation: Pick<ConversationView, 'marketingConsent'>;
}): React.JSX.Element | null {
  const { t, locale } = useI18n();
  const { optedOut, history } = conversation.marketingConsent;
  if (history.length === 0) return null;
  return (
    <aside className="card stack-sm" aria-label={t('consent.label')}>
      <strong>{optedOut ? t('consent.optedOut') : t('consent.optedIn')}</strong>
      <ul className="small muted">
        {history.map((e) => (
          <li key={`${e.at}-${e.state}`}>
            {t(e.state === 'opted_out' ? 'consent.event.optedOut' : 'consent.event.optedIn', {
              at: dateTime(e.at, locale),
              via: t(e.via === 'keyword' ? 'consent.via.keyword' : 'consent.via.meta'),
            })}
          </li>
        ))}
      </ul>
    </aside>
  );
}
