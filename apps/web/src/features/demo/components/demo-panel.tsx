import {
  DEMO_NOTICE_KINDS,
  DEMO_RULES,
  type DemoInboundInput,
  type DemoNoticeKind,
  type IntegrationStatus,
} from '@conecta/contracts';
import { useId, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Field, Input, Select, Textarea } from '../../../components/field';
import { useToast } from '../../../components/toast';
import { useDemoInfo } from '../../../lib/demo-info';
import { errorMessage } from '../../../lib/error-message';
import { formatMessage, rulesResolver } from '../../../lib/form-resolver';
import { useI18n, type MessageKey } from '../../../lib/i18n/i18n';
import { useSimulateInbound } from '../api/simulate-inbound';
import { useSimulateNotice } from '../api/simulate-notice';

type Values = Required<Pick<DemoInboundInput, 'from' | 'text'>> & {
  contactName: string;
  /** Date the message 30 h back: the 24-hour window is closed, only templates can answer. */
  closedWindow: boolean;
};

/** How far back a "closed window" demo message is dated. */
const CLOSED_WINDOW_HOURS = 30;

/** What keeps the demo number from receiving a simulated message, or null when nothing does. */
export function demoBlocker(
  whatsapp: IntegrationStatus | null | undefined,
  demoPhoneNumberId: string,
): MessageKey | null {
  if (!whatsapp) return 'demo.blocked.noWhatsApp';
  if (whatsapp.phoneNumberId !== demoPhoneNumberId) return 'demo.blocked.otherNumber';
  if (!whatsapp.isActive) return 'demo.blocked.disconnected';
  if (whatsapp.status === 'error') return 'demo.blocked.error';
  return null;
}

/**
 * "Simular mensaje de WhatsApp": only when the server runs its embedded demo. Until the chatbot has
 * the demo number connected, the form is disabled and the panel says what is missing.
 * `whatsapp`: the chatbot's WhatsApp integration (null: none; undefined: still loading).
 */
export function DemoPanel({
  chatbotId,
  whatsapp,
}: {
  chatbotId: string | null;
  whatsapp: IntegrationStatus | null | undefined;
}): React.JSX.Element | null {
  const { t } = useI18n();
  const toast = useToast();
  const demo = useDemoInfo();
  const simulate = useSimulateInbound();
  const resolver = useMemo(() => rulesResolver<Values>(DEMO_RULES, t), [t]);
  const {
    register,
    handleSubmit,
    resetField,
    formState: { errors },
  } = useForm<Values>({
    resolver,
    defaultValues: {
      from: '34600123456',
      contactName: 'Lucía Demo',
      text: 'Hola, ¿qué horario tenéis?',
      closedWindow: false,
    },
  });
  if (!demo.data?.enabled || !chatbotId) return null;
  const loading = whatsapp === undefined;
  const blocker = loading ? null : demoBlocker(whatsapp, demo.data.phoneNumberId);
  const disabled = loading || blocker !== null;

  return (
    <Card className="stack" aria-labelledby="demo-title">
      <div className="stack-sm">
        <h2 id="demo-title" style={{ fontSize: 'var(--text-md)' }}>
          {t('demo.title')}
        </h2>
        <p className="muted small">{t('demo.intro')}</p>
      </div>
      {blocker ? (
        <div className="notice stack-sm" role="status">
          <p className="small">{t(blocker)}</p>
          <div>
            <Link className="btn btn-primary btn-sm" to="/integrations">
              {blocker === 'demo.blocked.noWhatsApp' ? t('demo.connect') : t('demo.manage')}
            </Link>
          </div>
        </div>
      ) : null}
      <form
        className="stack-sm"
        noValidate
        onSubmit={handleSubmit((v) =>
          simulate.mutate(
            {
              chatbotId,
              from: v.from.trim(),
              text: v.text.trim(),
              // Without one, the fake Graph API would name the customer "Test User" (English).
              contactName: v.contactName.trim() || t('demo.defaultContactName'),
              ...(v.closedWindow ? { hoursAgo: CLOSED_WINDOW_HOURS } : {}),
            },
            {
              onSuccess: () => {
                toast(t('demo.sent'));
                resetField('text', { defaultValue: '' });
              },
              onError: (e) => toast(errorMessage(e, t), 'error'),
            },
          ),
        )}
      >
        <fieldset className="stack-sm plain-fieldset" disabled={disabled}>
          <Field
            label={t('demo.from')}
            description={formatMessage(t, DEMO_RULES.from)}
            error={errors.from?.message}
            required
          >
            <Input inputMode="numeric" {...register('from')} />
          </Field>
          <Field
            label={t('demo.contactName')}
            error={errors.contactName?.message}
            optionalLabel={t('common.optional')}
          >
            <Input {...register('contactName')} />
          </Field>
          <Field label={t('demo.text')} error={errors.text?.message} required>
            <Textarea rows={2} {...register('text')} />
          </Field>
          <label className="row small">
            <input type="checkbox" {...register('closedWindow')} />
            {t('demo.closedWindow', { hours: CLOSED_WINDOW_HOURS })}
          </label>
          <div>
            <Button type="submit" variant="primary" loading={simulate.isPending}>
              {simulate.isPending ? t('demo.sending') : t('demo.send')}
            </Button>
          </div>
        </fieldset>
      </form>
      {/* Meta's notices only need the demo number connected: a restriction must be undoable. */}
      {whatsapp && whatsapp.phoneNumberId === demo.data.phoneNumberId && whatsapp.isActive ? (
        <NoticeForm />
      ) : null}
    </Card>
  );
}

/** "Simular aviso de Meta": a quality change, a template review, an alert, a restriction… */
function NoticeForm(): React.JSX.Element {
  const { t } = useI18n();
  const toast = useToast();
  const notice = useSimulateNotice();
  const [kind, setKind] = useState<DemoNoticeKind>('quality_downgrade');
  const titleId = useId();
  return (
    <form
      className="stack-sm"
      aria-labelledby={titleId}
      onSubmit={(e) => {
        e.preventDefault();
        notice.mutate(
          { kind },
          {
            onSuccess: () => toast(t('demo.notice.sent')),
            onError: (err) => toast(errorMessage(err, t), 'error'),
          },
        );
      }}
    >
      <h3 id={titleId} style={{ fontSize: 'var(--text-sm)' }}>
        {t('demo.notice.title')}
      </h3>
      <p className="muted small">{t('demo.notice.intro')}</p>
      <Field label={t('demo.notice.kind')}>
        <Select value={kind} onChange={(e) => setKind(e.target.value as DemoNoticeKind)}>
          {DEMO_NOTICE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`demo.notice.${k}`)}
            </option>
          ))}
        </Select>
      </Field>
      <div>
        <Button type="submit" loading={notice.isPending}>
          {t('demo.notice.send')}
        </Button>
      </div>
    </form>
  );
}
