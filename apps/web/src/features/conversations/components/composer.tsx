import { AGENT_MESSAGE_RULES, type ConversationView } from '@conecta/contracts';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { Button } from '../../../components/button';
import { isApiError } from '../../../lib/api-client';
import { errorMessage } from '../../../lib/error-message';
import { useI18n } from '../../../lib/i18n/i18n';
import { useSendMessage } from '../api/send-message';
import { AttachmentPicker } from './attachment-picker';

const TEXT_MAX = AGENT_MESSAGE_RULES.content.maxLength;
const CAPTION_MAX = AGENT_MESSAGE_RULES.caption.maxLength;

/** A fresh Idempotency-Key for the next send. */
export function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** `3 h 12 min`, `45 min`. */
function timeLeft(ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** Why a WhatsApp free-form reply cannot be sent now (outside the 24-hour window), or null. */
export function windowState(
  conversation: Pick<ConversationView, 'channel' | 'windowEndsAt'>,
  now: number,
): { open: true; leftMs: number | null } | { open: false; reason: 'closed' | 'noCustomer' } {
  if (conversation.channel !== 'whatsapp') return { open: true, leftMs: null };
  if (!conversation.windowEndsAt) return { open: false, reason: 'noCustomer' };
  const left = Date.parse(conversation.windowEndsAt) - now;
  return left > 0 ? { open: true, leftMs: left } : { open: false, reason: 'closed' };
}

/**
 * The thread's reply box: Enter sends, Shift+Enter starts a new line; one WhatsApp message at most
 * (4096 characters). Outside WhatsApp's 24-hour window it is disabled and says why; `templates` is
 * the place for the template picker (a separate feature).
 */
export function Composer({
  conversation,
  templates,
  now = Date.now,
}: {
  conversation: Pick<ConversationView, 'id' | 'channel' | 'windowEndsAt'>;
  templates?: ReactNode;
  now?: () => number;
}): React.JSX.Element {
  const { t } = useI18n();
  const id = useId();
  const send = useSendMessage();
  const [text, setText] = useState('');
  // A chosen file (WhatsApp only): the text becomes its optional caption.
  const [file, setFile] = useState<File | null>(null);
  const [key, setKey] = useState(newKey);
  // Re-render now and then: the time left in the window runs down by itself.
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const win = windowState(conversation, now());
  const MAX = file ? CAPTION_MAX : TEXT_MAX;
  const length = text.length;
  const tooLong = length > MAX;
  const blank = text.trim() === '' && !file;
  const disabled = !win.open;

  function submit(): void {
    if (disabled || blank || tooLong || send.isPending) return;
    send.mutate(
      {
        conversationId: conversation.id,
        content: text.trim(),
        idempotencyKey: key,
        ...(file ? { file } : {}),
      },
      {
        onSuccess: () => {
          setText('');
          setFile(null);
          setKey(newKey());
        },
      },
    );
  }

  function choose(picked: File | null): void {
    setFile(picked);
    // Another file is another message: a new key.
    setKey(newKey());
  }

  const explanation = !win.open
    ? win.reason === 'closed'
      ? t('composer.windowClosed')
      : t('composer.noCustomerYet')
    : null;

  const input = (
    <textarea
      id={`${id}-text`}
      className="textarea composer-input"
      rows={2}
      value={text}
      disabled={disabled}
      placeholder={file ? t('composer.captionPlaceholder') : t('composer.placeholder')}
      aria-invalid={tooLong || undefined}
      aria-describedby={`${id}-count${explanation ? ` ${id}-why` : ''}`}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
          e.preventDefault();
          submit();
        }
      }}
    />
  );

  return (
    <form
      className="composer"
      aria-label={t('composer.label')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {explanation ? (
        <p className="small muted composer-note" id={`${id}-why`}>
          {explanation}
        </p>
      ) : null}
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {t('composer.label')}
      </label>
      {conversation.channel === 'whatsapp' ? (
        <AttachmentPicker file={file} onChange={choose} disabled={disabled}>
          {input}
        </AttachmentPicker>
      ) : (
        input
      )}
      <div className="spread composer-bar">
        <div className="row small muted">
          {templates}
          {win.open && win.leftMs !== null ? (
            <span>{t('composer.windowLeft', { time: timeLeft(win.leftMs) })}</span>
          ) : null}
        </div>
        <div className="row composer-send">
          <span
            id={`${id}-count`}
            className={`small ${tooLong ? 'text-danger' : 'muted'}`}
            aria-live="polite"
          >
            {tooLong
              ? t(file ? 'composer.captionTooLong' : 'composer.tooLong', { max: String(MAX) })
              : t('composer.counter', { n: String(length), max: String(MAX) })}
          </span>
          <Button
            type="submit"
            variant="primary"
            size="sm"
            disabled={disabled || blank || tooLong}
            loading={send.isPending}
          >
            {send.isPending ? t('composer.sending') : t('composer.send')}
          </Button>
        </div>
      </div>
      {send.isError ? (
        <p className="small text-danger" role="alert">
          {isApiError(send.error) && send.error.body.error === 'OUTSIDE_CUSTOMER_SERVICE_WINDOW'
            ? t('composer.windowClosed')
            : errorMessage(send.error, t)}
        </p>
      ) : null}
    </form>
  );
}
