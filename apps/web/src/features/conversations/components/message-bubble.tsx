import type { MessageView } from '@conecta/contracts';
import { Button } from '../../../components/button';
import { shortTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';
import { DeliveryStatus } from './delivery-status';
import { ContactCards, LocationLink, MessageMedia } from './message-attachment';

/** Reasons where sending again cannot help. */
const NOT_RETRYABLE = new Set(['RECIPIENT_UNAVAILABLE', 'ACCOUNT_RESTRICTED']);

/**
 * Whether a failed reply may be sent again: never where Meta's reason makes it pointless; outside
 * the 24-hour window (131047) only once the customer has written again, which reopens it.
 */
export function canRetry(message: MessageView, customerWroteAfter: boolean): boolean {
  if (message.role !== 'assistant' || message.deliveryStatus !== 'failed') return false;
  if (message.failureType === 'OUTSIDE_CUSTOMER_SERVICE_WINDOW') return customerWroteAfter;
  return !NOT_RETRYABLE.has(message.failureType ?? '');
}

export function MessageBubble({
  message,
  canManage,
  customerWroteAfter,
  retrying,
  onRetry,
}: {
  message: MessageView;
  canManage: boolean;
  /** A customer message came after this one (reopens the 24-hour window). */
  customerWroteAfter: boolean;
  retrying: boolean;
  onRetry: (message: MessageView) => void;
}): React.JSX.Element {
  const { t, locale } = useI18n();
  const mine = message.role === 'assistant';
  const agent = message.sender === 'agent';
  const author = message.sentFromBusinessApp
    ? t('conversations.fromBusinessApp')
    : agent
      ? t('conversations.agentNamed', { name: message.authorName ?? t('conversations.agent') })
      : mine
        ? t('conversations.bot')
        : t('conversations.you');
  const failed = message.deliveryStatus === 'failed';
  // The text of a media, location or contact message is its label (the attachment shows what it
  // is) plus the caption: show the caption alone.
  const attached = message.media ?? message.location ?? message.sharedContacts;
  const text = attached ? '' : message.content;
  return (
    <li className={`bubble-row bubble-row-${mine ? 'assistant' : 'user'}`}>
      <div
        className={`bubble bubble-${mine ? 'assistant' : 'user'} ${agent ? 'bubble-agent' : ''} ${failed ? 'bubble-failed' : ''}`}
        aria-label={author}
        role="group"
      >
        {message.sentFromBusinessApp || agent ? (
          <div className="bubble-author">{author}</div>
        ) : null}
        {message.media ? <MessageMedia messageId={message.id} media={message.media} /> : null}
        {message.location ? <LocationLink location={message.location} /> : null}
        {message.sharedContacts ? <ContactCards contacts={message.sharedContacts} /> : null}
        {message.media?.caption ? <div>{message.media.caption}</div> : null}
        {text ? <div>{text}</div> : null}
        <div className="bubble-meta">
          <time dateTime={message.createdAt}>{shortTime(message.createdAt, locale)}</time>
          {mine && message.deliveryStatus ? (
            <DeliveryStatus
              status={message.deliveryStatus}
              failure={{
                code: message.failureCode,
                type: message.failureType,
                detail: message.failureReason,
                part: message.failedPart,
              }}
            />
          ) : null}
        </div>
        {canManage && canRetry(message, customerWroteAfter) ? (
          <div className="row" style={{ justifyContent: 'flex-end', marginTop: 'var(--space-1)' }}>
            <Button size="sm" onClick={() => onRetry(message)} loading={retrying}>
              {retrying ? t('delivery.retrying') : t('delivery.retry')}
            </Button>
          </div>
        ) : null}
      </div>
    </li>
  );
}
