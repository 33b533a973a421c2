import { PUBLIC_CHAT_RULES, checkField, type ChatbotView } from '@conecta/contracts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Input } from '../../../components/field';
import { errorMessage } from '../../../lib/error-message';
import { useI18n } from '../../../lib/i18n/i18n';
import { useTeamReplies } from '../api/get-team-replies';
import { useSendTestMessage } from '../api/send-test-message';

interface Line {
  id: string;
  role: 'user' | 'assistant';
  content: string;
}

/**
 * A chat with the bot through the public web channel, exactly as a visitor would talk to it. Mount it
 * with `key={bot.id}` so that another bot starts a fresh chat.
 */
export function TestChat({ bot }: { bot: ChatbotView }): React.JSX.Element {
  const { t } = useI18n();
  const send = useSendTestMessage();
  const [sessionId, setSessionId] = useState<string | undefined>();
  const [lines, setLines] = useState<Line[]>([]);
  const [text, setText] = useState('');
  const logRef = useRef<HTMLDivElement>(null);
  // A person of the team may answer instead of the bot: the chat polls for their replies.
  const [startedAt] = useState(() => new Date().toISOString());
  const team = useTeamReplies(bot.publicId, sessionId, startedAt);
  // The team's replies join the end of the chat as they arrive.
  const shown = useMemo(() => {
    const known = new Set(lines.map((l) => l.id));
    const fresh = (team.data?.items ?? [])
      .filter((r) => !known.has(r.id))
      .map((r) => ({ id: r.id, role: 'assistant' as const, content: r.content }));
    return [...lines, ...fresh];
  }, [lines, team.data]);

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [shown]);

  const invalid = checkField(PUBLIC_CHAT_RULES.content, text.trim()) !== null;

  function submit(e: React.FormEvent): void {
    e.preventDefault();
    const content = text.trim();
    if (invalid) return;
    // What the team wrote so far stays above the new message.
    setLines([...shown, { id: `u${shown.length}`, role: 'user', content }]);
    setText('');
    send.mutate(
      { publicId: bot.publicId, input: { content, sessionId } },
      {
        onSuccess: (res) => {
          setSessionId(res.sessionId);
          const { reply } = res;
          // No reply while a person of the team handles the conversation.
          if (reply) {
            setLines((l) => [...l, { id: reply.id, role: 'assistant', content: reply.content }]);
          }
        },
      },
    );
  }

  return (
    <Card className="chat-panel" aria-labelledby="test-chat-title">
      <div className="spread">
        <div>
          <h2 id="test-chat-title">{t('chatbots.testChat')}</h2>
          <p className="muted small">{t('chatbots.testChatHint')}</p>
        </div>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            setLines([]);
            setSessionId(undefined);
          }}
        >
          {t('chatbots.restart')}
        </Button>
      </div>
      <div
        className="chat-log"
        ref={logRef}
        role="log"
        aria-live="polite"
        aria-label={t('chatbots.testChat')}
      >
        {shown.map((l) => (
          <div
            key={l.id}
            // The customer's words left and white, the bot's right and green: as in the thread.
            className={`bubble-row bubble-row-${l.role}`}
          >
            <div className={`bubble bubble-${l.role}`}>{l.content}</div>
          </div>
        ))}
        {send.isPending ? <p className="muted small">…</p> : null}
      </div>
      {send.isError ? (
        <p className="field-error" role="alert">
          {errorMessage(send.error, t)}
        </p>
      ) : null}
      {bot.publicChatEnabled ? (
        <form className="input-group" onSubmit={submit}>
          <label htmlFor="test-chat-input" className="visually-hidden">
            {t('chatbots.testMessage')}
          </label>
          <Input
            id="test-chat-input"
            value={text}
            maxLength={PUBLIC_CHAT_RULES.content.maxLength}
            placeholder={t('chatbots.testPlaceholder')}
            onChange={(e) => setText(e.target.value)}
          />
          <Button type="submit" variant="primary" disabled={invalid} loading={send.isPending}>
            {t('chatbots.send')}
          </Button>
        </form>
      ) : (
        <p className="muted small">{t('chatbots.testDisabled')}</p>
      )}
    </Card>
  );
}
