import type { ConversationView } from '@conecta/contracts';
import { Badge } from '../../../components/badge';
import { dateTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';

/** The click-to-WhatsApp ad a thread started from, and its free-entry-point window. */
export function AdReferral({
  conversation,
}: {
  conversation: Pick<ConversationView, 'adReferral' | 'freeEntryPointEndsAt'>;
}): React.JSX.Element | null {
  const { t, locale } = useI18n();
  const ad = conversation.adReferral;
  if (!ad) return null;
  const endsAt = conversation.freeEntryPointEndsAt;
  return (
    <aside className="card stack-sm" aria-label={t('conversations.ad.label')}>
      <p className="small muted">
        {t(ad.sourceType === 'post' ? 'conversations.ad.fromPost' : 'conversations.ad.fromAd')}
        {ad.mediaType ? ` · ${t('conversations.ad.media', { type: ad.mediaType })}` : ''}
      </p>
      {ad.headline ? <strong>{ad.headline}</strong> : null}
      {ad.body ? <p>{ad.body}</p> : null}
      {ad.sourceUrl ? (
        <a href={ad.sourceUrl} target="_blank" rel="noreferrer noopener">
          {t('conversations.ad.open')}
        </a>
      ) : null}
      {endsAt ? (
        <p className="small">
          <Badge tone={new Date(endsAt) > new Date() ? 'success' : 'neutral'}>
            {t('conversations.ad.freeEntryPoint')}
          </Badge>{' '}
          {t('conversations.ad.windowEnds', { at: dateTime(endsAt, locale) })}
        </p>
      ) : null}
      {ad.ctwaClid ? (
        <p className="small muted">{t('conversations.ad.clickId', { id: ad.ctwaClid })}</p>
      ) : null}
    </aside>
  );
}
