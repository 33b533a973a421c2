import { maskPhone, type MessageView } from '@conecta/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState } from '../../../components/empty-state';
import { SkeletonList } from '../../../components/skeleton';
import { useToast } from '../../../components/toast';
import { isApiError } from '../../../lib/api-client';
import { errorMessage } from '../../../lib/error-message';
import { useI18n } from '../../../lib/i18n/i18n';
import { useIsAdmin } from '../../../lib/session';
import { useConversation } from '../api/get-conversation';
import { useMessages } from '../api/get-messages';
import { conversationKeys } from '../api/keys';
import { useRetryMessage } from '../api/retry-message';
import { useUpdateConversation } from '../api/update-conversation';
import { AdReferral } from './ad-referral';
import { ConversationChannelIndicator } from './conversation-channel-indicator';
import { contactLabel } from './conversation-list';
import { MessageBubble } from './message-bubble';

export function ThreadView({
  conversationId,
  backSearch,
}: {
  conversationId: string;
  backSearch: string;
}): React.JSX.Element {
  const { t } = useI18n();
  const toast = useToast();
  const isAdmin = useIsAdmin();
  const conversation = useConversation(conversationId);
  const messages = useMessages(conversationId, conversation.isSuccess);
  const update = useUpdateConversation();
  const retry = useRetryMessage();
  const bottom = useRef<HTMLLIElement>(null);

  // Pages come newest first; each page is oldest first.
  const items = useMemo<MessageView[]>(
    () => (messages.data ? [...messages.data.pages].reverse().flatMap((p) => p.items) : []),
    [messages.data],
  );
  const lastId = items[items.length - 1]?.id;
  const lastCustomerAt = useMemo(
    () => items.reduce((at, m) => (m.role === 'user' && m.createdAt > at ? m.createdAt : at), ''),
    [items],
  );
  const queryClient = useQueryClient();
  useEffect(() => {
    bottom.current?.scrollIntoView?.({ block: 'end' });
    // A new message changes the row's preview and count: refresh the list now, not at its next poll.
    if (lastId) void queryClient.invalidateQueries({ queryKey: conversationKeys.lists() });
  }, [lastId, queryClient]);

  function onRetry(message: MessageView): void {
    retry.mutate(
      { messageId: message.id, conversationId },
      {
        onSuccess: () => toast(t('delivery.retryQueued')),
        onError: (e) => {
          const reason = isApiError(e) ? e.body.details?.reason : undefined;
          toast(
            typeof reason === 'string' && reason === 'OUTSIDE_CUSTOMER_SERVICE_WINDOW'
              ? t('delivery.retryPointless', { reason: t('error.OUTSIDE_CUSTOMER_SERVICE_WINDOW') })
              : errorMessage(e, t),
            'error',
          );
        },
      },
    );
  }

  if (conversation.isPending) {
    return (
      <section className="thread" aria-busy="true">
        <div className="thread-body">
          <SkeletonList label={t('common.loading')} rows={5} height={44} />
        </div>
      </section>
    );
  }
  if (conversation.isError && isApiError(conversation.error) && conversation.error.status === 404) {
    return (
      <section className="thread">
        <div className="thread-body">
          <EmptyState
            title={t('conversations.notFound')}
            action={
              <Link
                className="btn btn-secondary btn-sm"
                to={{ pathname: '/conversations', search: backSearch }}
              >
                {t('conversations.back')}
              </Link>
            }
          />
        </div>
      </section>
    );
  }
  if (conversation.isError && !conversation.data) {
    return (
      <section className="thread">
        <div className="thread-body">
          <ErrorState
            message={errorMessage(conversation.error, t)}
            onRetry={() => void conversation.refetch()}
            retryLabel={t('common.retry')}
          />
        </div>
      </section>
    );
  }
  const c = conversation.data;
  if (!c) return <section className="thread" />;
  const who = contactLabel(c, t);
  const phone = maskPhone(c.maskedPhone);

  return (
    <section className="thread" aria-labelledby="thread-title">
      <header className="thread-header spread">
        <div className="row" style={{ flexWrap: 'nowrap', minWidth: 0 }}>
          <Link
            to={{ pathname: '/conversations', search: backSearch }}
            className="btn btn-ghost btn-sm thread-back"
            aria-label={t('conversations.back')}
          >
            ←
          </Link>
          <ConversationChannelIndicator channel={c.channel} name={c.contactName} />
          <div style={{ minWidth: 0 }}>
            <h2 id="thread-title" className="conv-title" style={{ fontSize: 'var(--text-md)' }}>
              {who.title}
            </h2>
            <p className="small muted">
              {phone && who.title !== phone ? `${phone} · ` : ''}
              {t(`conversations.channel.${c.channel}`)} ·{' '}
              <Badge tone={c.status === 'open' ? 'success' : 'neutral'}>
                {t(`conversations.status.${c.status}`)}
              </Badge>
            </p>
          </div>
        </div>
        <div className="row">
          <Button
            size="sm"
            variant="ghost"
            aria-pressed={c.isFavorite}
            onClick={() => update.mutate({ id: c.id, input: { isFavorite: !c.isFavorite } })}
          >
            <span aria-hidden="true">{c.isFavorite ? '★' : '☆'}</span>
            {c.isFavorite ? t('conversations.unfavorite') : t('conversations.favorite')}
          </Button>
          <Button
            size="sm"
            onClick={() =>
              update.mutate({
                id: c.id,
                input: { status: c.status === 'open' ? 'closed' : 'open' },
              })
            }
          >
            {c.status === 'open' ? t('conversations.close') : t('conversations.reopen')}
          </Button>
        </div>
      </header>
      <div className="thread-body">
        <AdReferral conversation={c} />
        {messages.isPending ? (
          <SkeletonList label={t('common.loading')} rows={4} height={44} />
        ) : messages.isError ? (
          <ErrorState
            message={errorMessage(messages.error, t)}
            onRetry={() => void messages.refetch()}
            retryLabel={t('common.retry')}
          />
        ) : items.length === 0 ? (
          <EmptyState title={t('conversations.noMessages')} />
        ) : (
          <>
            {messages.hasNextPage ? (
              <div className="row" style={{ justifyContent: 'center' }}>
                <Button
                  size="sm"
                  onClick={() => void messages.fetchNextPage()}
                  loading={messages.isFetchingNextPage}
                >
                  {t('common.loadMore')}
                </Button>
              </div>
            ) : null}
            <ol className="list-plain stack-sm" aria-label={t('conversations.threadLabel')}>
              {items.map((m) => (
                <MessageBubble
                  key={m.id}
                  message={m}
                  canManage={isAdmin}
                  customerWroteAfter={lastCustomerAt > m.createdAt}
                  retrying={retry.isPending && retry.variables?.messageId === m.id}
                  onRetry={onRetry}
                />
              ))}
              <li ref={bottom} aria-hidden="true" />
            </ol>
          </>
        )}
      </div>
    </section>
  );
}
