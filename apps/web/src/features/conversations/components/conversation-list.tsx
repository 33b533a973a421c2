import { maskPhone, type ConversationListItem } from '@conecta/contracts';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { shortTime } from '../../../lib/format';
import { useI18n, type Translate } from '../../../lib/i18n/i18n';
import { ConversationChannelIndicator } from './conversation-channel-indicator';

/**
 * Who the conversation is with, never a full phone number. A web visitor without a name is
 * "Visitante web" with its short id under it.
 */
export function contactLabel(
  item: Pick<
    ConversationListItem,
    'channel' | 'contactName' | 'maskedPhone' | 'username' | 'visitorLabel'
  >,
  t: Translate,
): { title: string; subtitle: string | null } {
  const phone = maskPhone(item.maskedPhone);
  // The username when there is one, else the masked phone (a username user may have no phone).
  const handle = item.username ?? phone;
  if (item.contactName) {
    const fallback = item.channel === 'whatsapp' ? item.visitorLabel : null;
    return { title: item.contactName, subtitle: handle ?? fallback };
  }
  if (handle) return { title: handle, subtitle: null };
  const visitor = t('conversations.visitor');
  // A digit-looking label is a phone number: masked, never shown whole.
  if (/\d{5,}/.test(item.visitorLabel))
    return { title: maskPhone(item.visitorLabel) ?? visitor, subtitle: null };
  // A WhatsApp customer with neither name, username nor phone: the short BSUID.
  if (item.channel === 'whatsapp') return { title: item.visitorLabel || visitor, subtitle: null };
  const shortId = item.visitorLabel.replace(/^#/, '');
  return {
    title: visitor,
    subtitle: shortId ? t('conversations.visitorId', { id: shortId }) : null,
  };
}

export function ConversationList({
  items,
  selectedId,
  hasMore,
  loadingMore,
  onLoadMore,
  linkSearch,
}: {
  items: ConversationListItem[];
  selectedId: string | undefined;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** The current query string, kept on the links so the filter stays. */
  linkSearch: string;
}): React.JSX.Element {
  const { t, locale } = useI18n();
  const sentinel = useRef<HTMLLIElement>(null);

  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasMore || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loadingMore) onLoadMore();
    });
    io.observe(node);
    return () => io.disconnect();
  }, [hasMore, loadingMore, onLoadMore]);

  return (
    <ul className="conv-list" aria-label={t('conversations.title')}>
      {items.map((item) => {
        const who = contactLabel(item, t);
        return (
          <li key={item.id} className="conv-item">
            <Link
              to={{ pathname: `/conversations/${item.id}`, search: linkSearch }}
              aria-current={item.id === selectedId ? 'page' : undefined}
            >
              <ConversationChannelIndicator channel={item.channel} name={item.contactName} />
              <span className="conv-main">
                <span className="conv-title" style={{ display: 'block' }}>
                  {who.title}
                  {item.isFavorite ? (
                    <span aria-label={t('conversations.favorite')}> ★</span>
                  ) : null}
                </span>
                {who.subtitle ? (
                  <span className="small muted" style={{ display: 'block' }}>
                    {who.subtitle}
                  </span>
                ) : null}
                <span className="conv-preview" style={{ display: 'block' }}>
                  {item.lastMessagePreview}
                </span>
              </span>
              <span className="conv-meta">
                <time dateTime={item.lastMessageAt}>{shortTime(item.lastMessageAt, locale)}</time>
                {item.unreadCount > 0 ? (
                  <span
                    className="unread-badge"
                    aria-label={t('conversations.unread', { n: item.unreadCount })}
                  >
                    {item.unreadCount}
                  </span>
                ) : null}
                {item.status === 'closed' ? (
                  <Badge>{t('conversations.status.closed')}</Badge>
                ) : item.status === 'pending' ? (
                  <Badge tone="warning">{t('conversations.status.pending')}</Badge>
                ) : null}
                <span>
                  {item.messageCount === 1
                    ? t('conversations.oneMessage')
                    : t('conversations.messages', { n: item.messageCount })}
                </span>
              </span>
            </Link>
          </li>
        );
      })}
      {hasMore ? (
        <li ref={sentinel} style={{ padding: 'var(--space-3)', textAlign: 'center' }}>
          <Button size="sm" onClick={onLoadMore} loading={loadingMore}>
            {t('common.loadMore')}
          </Button>
        </li>
      ) : null}
    </ul>
  );
}
