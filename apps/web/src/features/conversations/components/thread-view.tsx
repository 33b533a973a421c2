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
import { shortTime } from '../../../lib/format';
import { useIsAdmin } from '../../../lib/session';
import { useAssignees } from '../api/get-assignees';
import { useHandleConversation, type HandleConversationInput } from '../api/handle-conversation';
import { useConversation } from '../api/get-conversation';
import { useMessages } from '../api/get-messages';
import { conversationKeys } from '../api/keys';
import { useRetryMessage } from '../api/retry-message';
import { useUpdateConversation } from '../api/update-conversation';
import { AdReferral } from './ad-referral';
import { MarketingConsent } from './marketing-consent';
import { ConversationChannelIndicator } from './conversation-channel-indicator';
import { contactLabel } from './conversation-list';
import { Composer } from './composer';
import { TemplatePicker } from './template-picker';
import { MessageBubble } from './message-bubble';

export function ThreadView({
  conversationId,
  backSearch,
}: {
  conversationId: string;
  backSearch: string;
}): React.JSX.Element {
  const { t, locale } = useI18n();
  const toast = useToast();
  const handle = useHandleConversation();
  const act = (input: HandleConversationInput): void =>
    handle.mutate(input, { onError: (e) => toast(errorMessage(e, t), 'error') });
  const isAdmin = useIsAdmin();
  const conversation = useConversation(conversationId);
  const assignees = useAssignees(conversation.isSuccess);
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
              <Badge
                tone={
                  c.status === 'open' ? 'success' : c.status === 'pending' ? 'warning' : 'neutral'
                }
              >
                {t(`conversations.status.${c.status}`)}
              </Badge>{' '}
              <Badge tone={c.bot.state === 'active' ? 'info' : 'neutral'}>
                {c.bot.state === 'active'
                  ? t('conversations.bot.active')
                  : c.bot.pausedUntil
                    ? t('conversations.bot.pausedUntil', {
                        at: shortTime(c.bot.pausedUntil, locale),
                      })
                    : t('conversations.bot.paused')}
              </Badge>
            </p>
          </div>
        </div>
        <div className="row thread-actions">
          {c.status !== 'closed' && c.assigneeId === null ? (
            <Button
              size="sm"
              variant="primary"
              loading={handle.isPending && handle.variables?.action === 'take'}
              onClick={() => act({ id: c.id, action: 'take' })}
            >
              {t('conversations.take')}
            </Button>
          ) : null}
          <label htmlFor={`assign-${c.id}`} className="visually-hidden">
            {t('conversations.assignTo')}
          </label>
          <select
            id={`assign-${c.id}`}
            className="select select-sm"
            value={c.assigneeId ?? ''}
            onChange={(e) => act({ id: c.id, action: 'assign', userId: e.target.value || null })}
          >
            <option value="">
              {t('conversations.assignTo')}: {t('conversations.nobody')}
            </option>
            {(assignees.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {t('conversations.assignTo')}: {u.name}
              </option>
            ))}
          </select>
          <Button
            size="sm"
            aria-pressed={c.bot.state === 'paused'}
            onClick={() =>
              act({
                id: c.id,
                action: 'bot',
                bot: { state: c.bot.state === 'active' ? 'paused' : 'active' },
              })
            }
          >
            {c.bot.state === 'active'
              ? t('conversations.bot.pause')
              : t('conversations.bot.resume')}
          </Button>
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
            onClick={() => act({ id: c.id, action: c.status === 'closed' ? 'reopen' : 'close' })}
          >
            {c.status === 'closed' ? t('conversations.reopen') : t('conversations.close')}
          </Button>
        </div>
      </header>
      <div className="thread-body">
        <AdReferral conversation={c} />
        <MarketingConsent conversation={c} />
        {messages.isPending ? (
          <SkeletonList label={t('common.loading')} rows={4} height={44} />
        ) : messages.isError && !messages.data ? (
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
      <Composer
        conversation={c}
        templates={c.channel === 'whatsapp' ? <TemplatePicker conversation={c} /> : undefined}
      />
    </section>
  );
}
