import { maskPhone, type ConversationListItem } from '@conecta/contracts';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { shortTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';
import { ConversationChannelIndicator } from './conversation-channel-indicator';

/** Who the conversation is with, never a full phone number. */
export function contactLabel(
  item: ConversationListItem,
  visitorFallback: string,
): { title: string; subtitle: string | null } {
  const phone = maskPhone(item.maskedPhone);
  // The username when there is one, else the masked phone (a username user may have no phone).
  const handle = item.username ?? phone;
  if (item.contactName) {
    const fallback = item.channel === 'whatsapp' ? item.visitorLabel : null;
    return { title: item.contactName, subtitle: handle ?? fallback };
  }
  if (handle) return { title: handle, subtitle: null };
  // The visitor label is for web visitors; a digit-looking label gets masked too.
  const label = /\d{5,}/.test(item.visitorLabel)
    ? (maskPhone(item.visitorLabel) ?? visitorFallback)
    : item.visitorLabel;
  return { title: label || visitorFallback, subtitle: null };
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
        const who = contactLabel(item, t('conversations.visitor'));
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
