import { DEMO_RULES, type DemoInboundInput } from '@conecta/contracts';
import { useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Field, Input, Textarea } from '../../../components/field';
import { useToast } from '../../../components/toast';
import { useDemoInfo } from '../../../lib/demo-info';
import { errorMessage } from '../../../lib/error-message';
import { rulesResolver } from '../../../lib/form-resolver';
import { useI18n } from '../../../lib/i18n/i18n';
import { useSimulateInbound } from '../api/simulate-inbound';

type Values = Required<Pick<DemoInboundInput, 'from' | 'text'>> & { contactName: string };
const RULES = { ...DEMO_RULES, from: { ...DEMO_RULES.from, patternMessage: 'validation.digits' } };

/** "Simular mensaje de WhatsApp": only when the server runs its embedded demo. */
export function DemoPanel({ chatbotId }: { chatbotId: string | null }): React.JSX.Element | null {
  const { t } = useI18n();
  const toast = useToast();
  const demo = useDemoInfo();
  const simulate = useSimulateInbound();
  const resolver = useMemo(() => rulesResolver<Values>(RULES, t), [t]);
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
    },
  });
  if (!demo.data?.enabled || !chatbotId) return null;

  return (
    <Card className="stack" aria-labelledby="demo-title">
      <div className="stack-sm">
        <h2 id="demo-title" style={{ fontSize: 'var(--text-md)' }}>
          {t('demo.title')}
        </h2>
        <p className="muted small">{t('demo.intro')}</p>
      </div>
      <form
        className="stack-sm"
        noValidate
        onSubmit={handleSubmit((v) =>
          simulate.mutate(
            {
              chatbotId,
              from: v.from.trim(),
              text: v.text.trim(),
              contactName: v.contactName.trim() || undefined,
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
        <Field label={t('demo.from')} error={errors.from?.message} required>
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
        <div>
          <Button type="submit" variant="primary" loading={simulate.isPending}>
            {simulate.isPending ? t('demo.sending') : t('demo.send')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
