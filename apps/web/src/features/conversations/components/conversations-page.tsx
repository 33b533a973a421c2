import {
  CONVERSATION_QUERY_RULES,
  CONVERSATION_STATUSES,
  searchQueryWords,
} from '@conecta/contracts';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState } from '../../../components/empty-state';
import { Input } from '../../../components/field';
import { Icon } from '../../../components/icons';
import { SkeletonList } from '../../../components/skeleton';
import { errorMessage } from '../../../lib/error-message';
import { useI18n } from '../../../lib/i18n/i18n';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useWorkspaceEvents } from '../../../lib/event-stream';
import { useQueryClient } from '@tanstack/react-query';
import { conversationKeys } from '../api/keys';
import { useConversations } from '../api/get-conversations';
import { useConversationCounts } from '../api/get-counts';
import { ASSIGNEE_FILTERS, useConversationFilters } from '../hooks/use-conversation-filters';
import { ChannelFilter } from './channel-filter';
import { ConversationList } from './conversation-list';
import { ThreadView } from './thread-view';

export function ConversationsPage({
  chatbotId,
  aside,
  banner,
  whatsapp = null,
}: {
  chatbotId: string | null;
  /** Extra panel under the list (the demo simulator). */
  aside?: ReactNode;
  /** A warning above the list (the chatbot's WhatsApp is off or failing). */
  banner?: ReactNode;
  /**
   * What an empty list offers about WhatsApp: to connect it (the chatbot has none), to go and
   * reactivate it (disconnected), or nothing (it is connected, or not known yet).
   */
  whatsapp?: 'connect' | 'reactivate' | null;
}): React.JSX.Element {
  const { t } = useI18n();
  const { conversationId } = useParams();
  const { search } = useLocation();
  const [filters, setFilters] = useConversationFilters();
  const [text, setText] = useState(filters.q);
  const q = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if (q !== filters.q) setFilters({ q });
  }, [q, filters.q, setFilters]);

  const queryClient = useQueryClient();
  // Live updates: each change refreshes what it touches; connecting or dropping refreshes all.
  useWorkspaceEvents((event) => {
    if (event?.integrationId) {
      // A template's status or category changed at Meta: the picker re-reads the number's list.
      void queryClient.invalidateQueries({
        queryKey: conversationKeys.templates(event.integrationId),
      });
    } else if (event?.conversationId) {
      void queryClient.invalidateQueries({ queryKey: conversationKeys.lists() });
      void queryClient.invalidateQueries({
        queryKey: conversationKeys.detail(event.conversationId),
      });
      if (event.type === 'conversation') {
        void queryClient.invalidateQueries({ queryKey: [...conversationKeys.all, 'counts'] });
      }
    } else if (!event) {
      void queryClient.invalidateQueries({ queryKey: conversationKeys.all });
    }
  });

  const listFilters = {
    chatbotId: chatbotId ?? '',
    channel: filters.channel,
    status: filters.status,
    favorite: filters.favorite || undefined,
    assignee: filters.assignee,
    // Sent as the server indexes it, so "José" and "jose" are one search (and one cache entry).
    q: searchQueryWords(filters.q).join(' ') || filters.q || undefined,
  };
  const list = useConversations(listFilters);
  const counts = useConversationCounts(chatbotId ?? '');
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  // The badges follow the list: when it changes, so may the counts.
  const refetchCounts = counts.refetch;
  useEffect(() => {
    if (list.dataUpdatedAt) void refetchCounts();
  }, [list.dataUpdatedAt, refetchCounts]);
  const filtered = Boolean(
    filters.channel || filters.status || filters.favorite || filters.assignee || filters.q,
  );
  // The tab says how many conversations wait for a person.
  const waiting = counts.data?.waiting ?? 0;
  useEffect(() => {
    const base = t('app.name');
    document.title =
      waiting > 0 ? t('conversations.waitingTitle', { n: waiting, title: base }) : base;
    return () => {
      document.title = base;
    };
  }, [waiting, t]);
  const withCount = (label: string, n: number | undefined): string =>
    n === undefined ? label : t('conversations.withCount', { label, n });
  const noneAtAll = !filtered && list.isSuccess && items.length === 0;

  return (
    <>
      <header className="page-header">
        <div className="stack-sm">
          <h1>{t('conversations.title')}</h1>
          <p className="muted">{t('conversations.subtitle')}</p>
        </div>
      </header>
      {banner}
      <div className="conversations" data-has-selection={conversationId ? 'true' : 'false'}>
        <div className="conv-column stack">
          <ChannelFilter
            value={filters.channel}
            counts={counts.data}
            onChange={(channel) => setFilters({ channel })}
          />
          <label htmlFor="conv-search" className="visually-hidden">
            {t('conversations.search')}
          </label>
          <Input
            id="conv-search"
            type="search"
            value={text}
            maxLength={CONVERSATION_QUERY_RULES.q.maxLength}
            placeholder={t('conversations.searchPlaceholder')}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="row conv-filters">
            <label htmlFor="conv-status" className="visually-hidden">
              {t('conversations.statusFilter')}
            </label>
            <select
              id="conv-status"
              className="select"
              value={filters.status ?? ''}
              onChange={(e) => {
                const status = CONVERSATION_STATUSES.find((s) => s === e.target.value);
                setFilters({ status });
              }}
            >
              <option value="">{t('conversations.status.all')}</option>
              {CONVERSATION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {withCount(t(`conversations.statusPlural.${s}`), counts.data?.states[s])}
                </option>
              ))}
            </select>
            <label htmlFor="conv-assignee" className="visually-hidden">
              {t('conversations.assigneeFilter')}
            </label>
            <select
              id="conv-assignee"
              className="select"
              value={filters.assignee ?? ''}
              onChange={(e) => {
                const assignee = ASSIGNEE_FILTERS.find((a) => a === e.target.value);
                setFilters({ assignee });
              }}
            >
              <option value="">{t('conversations.assignee.all')}</option>
              {ASSIGNEE_FILTERS.map((a) => (
                <option key={a} value={a}>
                  {withCount(t(`conversations.assignee.${a}`), counts.data?.[a])}
                </option>
              ))}
            </select>
            <Button
              aria-pressed={filters.favorite}
              onClick={() => setFilters({ favorite: !filters.favorite })}
              icon={<Icon name="star" size={16} filled={filters.favorite} />}
            >
              {t('conversations.favoritesToggle')}
            </Button>
          </div>
          {!chatbotId ? (
            <EmptyState title={t('chatbots.empty')}>{t('chatbots.emptyHint')}</EmptyState>
          ) : list.isPending ? (
            <SkeletonList label={t('common.loading')} rows={6} height={64} />
          ) : list.isError && !list.data ? (
            <ErrorState
              message={errorMessage(list.error, t)}
              onRetry={() => void list.refetch()}
              retryLabel={t('common.retry')}
            />
          ) : items.length === 0 ? (
            filtered ? (
              <EmptyState
                title={t('conversations.emptyFiltered')}
                action={
                  <Button
                    size="sm"
                    onClick={() => {
                      setText('');
                      setFilters({
                        channel: undefined,
                        status: undefined,
                        favorite: false,
                        assignee: undefined,
                        q: '',
                      });
                    }}
                  >
                    {t('conversations.clearFilters')}
                  </Button>
                }
              />
            ) : (
              <EmptyState
                title={t('conversations.empty')}
                action={
                  <div className="row" style={{ justifyContent: 'center' }}>
                    {whatsapp ? (
                      <Link className="btn btn-primary btn-sm" to="/integrations">
                        {whatsapp === 'connect'
                          ? t('conversations.goConnect')
                          : t('conversations.goReactivate')}
                      </Link>
                    ) : null}
                    <Link className="btn btn-secondary btn-sm" to="/chatbots">
                      {t('conversations.goTestChat')}
                    </Link>
                  </div>
                }
              >
                {t('conversations.emptyHint')}
              </EmptyState>
            )
          ) : (
            <ConversationList
              items={items}
              selectedId={conversationId}
              hasMore={Boolean(list.hasNextPage)}
              loadingMore={list.isFetchingNextPage}
              onLoadMore={() => void list.fetchNextPage()}
              linkSearch={search}
            />
          )}
          {aside}
        </div>
        <div className="thread-column">
          {conversationId ? (
            <ThreadView key={conversationId} conversationId={conversationId} backSearch={search} />
          ) : (
            <div className="thread">
              <EmptyState
                title={noneAtAll ? t('conversations.threadFirst') : t('conversations.select')}
              />
            </div>
          )}
        </div>
      </div>
    </>
  );
}
