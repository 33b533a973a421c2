import {
  CHATBOT_RULES,
  CONSENT_MAX_KEYWORDS,
  CONSENT_RULES,
  HANDOFF_RULES,
  checkField,
  checkFields,
  consentSettingsProblems,
  type ChatbotView,
  type ResponderType,
  type UpdateChatbotRequest,
} from '@conecta/contracts';
import { useEffect, useMemo } from 'react';
import { useFieldArray, useForm, useWatch, type FieldErrors, type Resolver } from 'react-hook-form';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Field, Input, Select, Textarea } from '../../../components/field';
import { useToast } from '../../../components/toast';
import { errorMessage } from '../../../lib/error-message';
import { violationMessage } from '../../../lib/form-resolver';
import { useI18n, type Translate } from '../../../lib/i18n/i18n';
import { useUpdateChatbot } from '../api/update-chatbot';

interface FaqRow {
  keywords: string;
  answer: string;
}
export interface ChatbotFormValues {
  name: string;
  language: 'es' | 'en';
  welcomeMessage: string;
  fallbackMessage: string;
  instructions: string;
  publicChatEnabled: boolean;
  responderType: ResponderType;
  responderBaseUrl: string;
  responderModel: string;
  responderAcceptsImages: boolean;
  responderTranscriptionModel: string;
  faq: FaqRow[];
  handoffKeywords: string;
  handoffMessage: string;
  handoffOnFallback: boolean;
  handoffOnLlmRequest: boolean;
  /** Minutes of agent silence before the bot resumes; empty: never by itself. */
  handoffResumeAfter: string;
  /** Opening hours: on when `hoursEnabled`; weekdays as '0'…'6'. */
  hoursEnabled: boolean;
  hoursTimeZone: string;
  hoursWeekdays: string[];
  hoursFrom: string;
  hoursTo: string;
  outsideHoursMessage: string;
  /** Opt-out and opt-in keywords, comma-separated. */
  optOutKeywords: string;
  optInKeywords: string;
  optOutConfirmation: string;
  optInConfirmation: string;
  singleMessageReplies: boolean;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;
const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const FLAT_RULES = {
  name: CHATBOT_RULES.name,
  welcomeMessage: CHATBOT_RULES.welcomeMessage,
  fallbackMessage: CHATBOT_RULES.fallbackMessage,
  instructions: CHATBOT_RULES.instructions,
  responderBaseUrl: CHATBOT_RULES.responderBaseUrl,
  responderModel: CHATBOT_RULES.responderModel,
  responderTranscriptionModel: CHATBOT_RULES.responderModel,
  handoffMessage: HANDOFF_RULES.message,
  outsideHoursMessage: HANDOFF_RULES.outsideHoursMessage,
  optOutConfirmation: CONSENT_RULES.confirmation,
  optInConfirmation: CONSENT_RULES.confirmation,
};

/** The consent keyword lists: each keyword's length, their number, and the shared rule. */
function consentErrors(
  values: ChatbotFormValues,
  t: Translate,
): Partial<Record<'optOutKeywords' | 'optInKeywords', { type: string; message: string }>> {
  const errors: Partial<
    Record<'optOutKeywords' | 'optInKeywords', { type: string; message: string }>
  > = {};
  for (const field of ['optOutKeywords', 'optInKeywords'] as const) {
    const keywords = splitKeywords(values[field]);
    const tooLong = keywords.find((k) => checkField(CONSENT_RULES.keyword, k));
    if (tooLong !== undefined) {
      const v = checkField(CONSENT_RULES.keyword, tooLong);
      if (v) {
        errors[field] = {
          type: v.code,
          message: violationMessage(t, { k: CONSENT_RULES.keyword }, 'k', v),
        };
      }
    } else if (keywords.length > CONSENT_MAX_KEYWORDS) {
      errors[field] = {
        type: 'maxItems',
        message: t('chatbots.consent.tooMany', { n: CONSENT_MAX_KEYWORDS }),
      };
    }
  }
  const problems = consentSettingsProblems({
    optOutKeywords: splitKeywords(values.optOutKeywords),
    optInKeywords: splitKeywords(values.optInKeywords),
    optOutConfirmation: values.optOutConfirmation,
    optInConfirmation: values.optInConfirmation,
  });
  for (const p of problems) {
    const field = p.field.startsWith('optOut') ? 'optOutKeywords' : 'optInKeywords';
    if (errors[field]) continue;
    const key =
      p.code === 'consentKeywordInBothLists'
        ? 'chatbots.consent.inBothLists'
        : p.code === 'consentKeywordEmpty'
          ? 'chatbots.consent.emptyKeyword'
          : 'chatbots.consent.required';
    errors[field] = { type: p.code, message: t(key) };
  }
  return errors;
}

function chatbotResolver(t: Translate): Resolver<ChatbotFormValues> {
  return (values) => {
    const errors: Record<string, unknown> = {};
    for (const [field, v] of Object.entries(
      checkFields<keyof typeof FLAT_RULES>(FLAT_RULES, values),
    )) {
      if (v) errors[field] = { type: v.code, message: violationMessage(t, FLAT_RULES, field, v) };
    }
    const faqErrors: Record<number, Record<string, { type: string; message: string }>> = {};
    values.faq.forEach((row, i) => {
      const kw = checkField(CHATBOT_RULES.faqKeyword, row.keywords.trim());
      const an = checkField(CHATBOT_RULES.faqAnswer, row.answer.trim());
      const rowErr: Record<string, { type: string; message: string }> = {};
      if (kw)
        rowErr.keywords = {
          type: kw.code,
          message: violationMessage(t, { k: CHATBOT_RULES.faqKeyword }, 'k', kw),
        };
      if (an)
        rowErr.answer = {
          type: an.code,
          message: violationMessage(t, { a: CHATBOT_RULES.faqAnswer }, 'a', an),
        };
      if (Object.keys(rowErr).length) faqErrors[i] = rowErr;
    });
    if (Object.keys(faqErrors).length) errors.faq = faqErrors;
    const resume = values.handoffResumeAfter.trim();
    if (resume !== '' && !/^\d{1,5}$/.test(resume)) {
      errors.handoffResumeAfter = { type: 'pattern', message: t('chatbots.handoff.resumeInvalid') };
    }
    if (values.hoursEnabled) {
      for (const [field, rule] of [
        ['hoursTimeZone', HANDOFF_RULES.timeZone],
        ['hoursFrom', HANDOFF_RULES.time],
        ['hoursTo', HANDOFF_RULES.time],
      ] as const) {
        const v = checkField(rule, values[field].trim());
        if (v) errors[field] = { type: v.code, message: violationMessage(t, { f: rule }, 'f', v) };
      }
    }
    Object.assign(errors, consentErrors(values, t));
    if (Object.keys(errors).length === 0) return { values, errors: {} };
    return { values: {}, errors: errors as FieldErrors<ChatbotFormValues> };
  };
}

export function toFormValues(bot: ChatbotView): ChatbotFormValues {
  return {
    name: bot.name,
    language: bot.language,
    welcomeMessage: bot.welcomeMessage,
    fallbackMessage: bot.fallbackMessage,
    instructions: bot.instructions,
    publicChatEnabled: bot.publicChatEnabled,
    responderType: bot.responder.type,
    responderBaseUrl: bot.responder.baseUrl ?? '',
    responderModel: bot.responder.model ?? '',
    responderAcceptsImages: bot.responder.acceptsImages,
    responderTranscriptionModel: bot.responder.transcriptionModel ?? '',
    faq: bot.faq.map((f) => ({ keywords: f.keywords.join(', '), answer: f.answer })),
    handoffKeywords: bot.handoff.keywords.join(', '),
    handoffMessage: bot.handoff.message,
    handoffOnFallback: bot.handoff.onFallback,
    handoffOnLlmRequest: bot.handoff.onLlmRequest,
    handoffResumeAfter:
      bot.handoff.resumeAfterMinutes === null ? '' : String(bot.handoff.resumeAfterMinutes),
    hoursEnabled: bot.handoff.openingHours !== null,
    hoursTimeZone: bot.handoff.openingHours?.timeZone ?? BROWSER_TIME_ZONE,
    hoursWeekdays: (bot.handoff.openingHours?.weekdays ?? [1, 2, 3, 4, 5]).map(String),
    hoursFrom: bot.handoff.openingHours?.from ?? '09:00',
    hoursTo: bot.handoff.openingHours?.to ?? '18:00',
    outsideHoursMessage: bot.handoff.outsideHoursMessage,
    optOutKeywords: bot.consent.optOutKeywords.join(', '),
    optInKeywords: bot.consent.optInKeywords.join(', '),
    optOutConfirmation: bot.consent.optOutConfirmation,
    optInConfirmation: bot.consent.optInConfirmation,
    singleMessageReplies: bot.singleMessageReplies,
  };
}

function splitKeywords(text: string): string[] {
  return text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}

function toRequest(v: ChatbotFormValues): UpdateChatbotRequest {
  return {
    name: v.name.trim(),
    language: v.language,
    welcomeMessage: v.welcomeMessage,
    fallbackMessage: v.fallbackMessage,
    instructions: v.instructions,
    publicChatEnabled: v.publicChatEnabled,
    responder:
      v.responderType === 'rules'
        ? { type: 'rules' }
        : {
            type: v.responderType,
            baseUrl: v.responderBaseUrl.trim() || null,
            model: v.responderModel.trim() || null,
            acceptsImages: v.responderAcceptsImages,
            transcriptionModel: v.responderTranscriptionModel.trim() || null,
          },
    faq: v.faq.map((f) => ({
      keywords: splitKeywords(f.keywords),
      answer: f.answer.trim(),
    })),
    handoff: {
      keywords: splitKeywords(v.handoffKeywords),
      message: v.handoffMessage.trim(),
      onFallback: v.handoffOnFallback,
      onLlmRequest: v.handoffOnLlmRequest,
      resumeAfterMinutes: v.handoffResumeAfter.trim() === '' ? null : Number(v.handoffResumeAfter),
      openingHours: v.hoursEnabled
        ? {
            timeZone: v.hoursTimeZone.trim(),
            weekdays: v.hoursWeekdays.map(Number).sort(),
            from: v.hoursFrom,
            to: v.hoursTo,
          }
        : null,
      outsideHoursMessage: v.outsideHoursMessage.trim(),
    },
    consent: {
      optOutKeywords: splitKeywords(v.optOutKeywords),
      optInKeywords: splitKeywords(v.optInKeywords),
      optOutConfirmation: v.optOutConfirmation.trim(),
      optInConfirmation: v.optInConfirmation.trim(),
    },
    singleMessageReplies: v.singleMessageReplies,
  };
}

export function ChatbotForm({
  bot,
  readOnly,
}: {
  bot: ChatbotView;
  readOnly: boolean;
}): React.JSX.Element {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateChatbot();
  const resolver = useMemo(() => chatbotResolver(t), [t]);
  const form = useForm<ChatbotFormValues>({ resolver, defaultValues: toFormValues(bot) });
  const {
    register,
    handleSubmit,
    reset,
    setError,
    formState: { errors, isDirty },
  } = form;
  const faq = useFieldArray({ control: form.control, name: 'faq' });
  useEffect(() => reset(toFormValues(bot)), [bot, reset]);
  const responderType = useWatch({ control: form.control, name: 'responderType' });
  const hoursEnabled = useWatch({ control: form.control, name: 'hoursEnabled' });

  const onSubmit = handleSubmit((values) =>
    update.mutate(
      { id: bot.id, input: toRequest(values) },
      {
        onSuccess: () => toast(t('chatbots.saved')),
        onError: (error) => {
          toast(errorMessage(error, t), 'error');
          const fields = (
            error as { body?: { details?: { fields?: { field: string; message: string }[] } } }
          ).body?.details?.fields;
          for (const f of fields ?? []) {
            if (f.field in FLAT_RULES)
              setError(f.field as keyof typeof FLAT_RULES, { type: 'server', message: f.message });
          }
        },
      },
    ),
  );

  return (
    <Card>
      <form className="stack" noValidate onSubmit={onSubmit} aria-label={bot.name}>
        <fieldset
          disabled={readOnly}
          className="stack"
          style={{ border: 0, padding: 0, margin: 0 }}
        >
          <div className="two-col" style={{ gridTemplateColumns: '2fr 1fr' }}>
            <Field label={t('chatbots.name')} error={errors.name?.message} required>
              <Input {...register('name')} />
            </Field>
            <Field label={t('chatbots.language')}>
              <Select {...register('language')}>
                <option value="es">Español</option>
                <option value="en">English</option>
              </Select>
            </Field>
          </div>
          <Field
            label={t('chatbots.welcome')}
            description={t('chatbots.welcomeHint')}
            error={errors.welcomeMessage?.message}
            optionalLabel={t('common.optional')}
          >
            <Textarea rows={2} {...register('welcomeMessage')} />
          </Field>
          <Field label={t('chatbots.fallback')} error={errors.fallbackMessage?.message} required>
            <Textarea rows={2} {...register('fallbackMessage')} />
          </Field>
          <fieldset className="stack-sm" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="field-label">{t('chatbots.faq')}</legend>
            {faq.fields.map((row, i) => (
              <div key={row.id} className="faq-row faq-item">
                <Field
                  label={t('chatbots.faqKeywords')}
                  error={errors.faq?.[i]?.keywords?.message}
                  required
                >
                  <Input {...register(`faq.${i}.keywords` as const)} />
                </Field>
                <Field
                  label={t('chatbots.faqAnswer')}
                  error={errors.faq?.[i]?.answer?.message}
                  required
                >
                  <Textarea rows={2} {...register(`faq.${i}.answer` as const)} />
                </Field>
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() => faq.remove(i)}
                  aria-label={t('chatbots.faqRemove', { n: i + 1 })}
                  style={{ marginTop: 26 }}
                >
                  ✕
                </Button>
              </div>
            ))}
            <div>
              <Button size="sm" onClick={() => faq.append({ keywords: '', answer: '' })}>
                + {t('chatbots.faqAdd')}
              </Button>
            </div>
          </fieldset>
          <div className="two-col" style={{ gridTemplateColumns: '1fr 1fr' }}>
            <Field label={t('chatbots.responder')}>
              <Select {...register('responderType')}>
                <option value="rules">{t('chatbots.responder.rules')}</option>
                <option value="openai-compatible">{t('chatbots.responder.openai')}</option>
              </Select>
            </Field>
            {responderType === 'openai-compatible' ? (
              <Field
                label={t('chatbots.model')}
                error={errors.responderModel?.message}
                optionalLabel={t('common.optional')}
              >
                <Input {...register('responderModel')} />
              </Field>
            ) : null}
          </div>
          {responderType === 'openai-compatible' ? (
            <>
              <Field
                label={t('chatbots.baseUrl')}
                error={errors.responderBaseUrl?.message}
                optionalLabel={t('common.optional')}
              >
                <Input
                  type="url"
                  placeholder="https://api.openai.com/v1"
                  {...register('responderBaseUrl')}
                />
              </Field>
              <Field
                label={t('chatbots.instructions')}
                description={t('chatbots.instructionsHint')}
                error={errors.instructions?.message}
                optionalLabel={t('common.optional')}
              >
                <Textarea rows={4} {...register('instructions')} />
              </Field>
              <Field
                label={t('chatbots.transcriptionModel')}
                description={t('chatbots.transcriptionModelHint')}
                error={errors.responderTranscriptionModel?.message}
                optionalLabel={t('common.optional')}
              >
                <Input placeholder="whisper-1" {...register('responderTranscriptionModel')} />
              </Field>
              <label className="row small">
                <input type="checkbox" {...register('responderAcceptsImages')} />
                {t('chatbots.acceptsImages')}
              </label>
            </>
          ) : null}
          <label className="row small">
            <input type="checkbox" {...register('publicChatEnabled')} />
            {t('chatbots.publicChat')}
          </label>
          <fieldset className="stack-sm" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="field-label">{t('chatbots.handoff.title')}</legend>
            <p className="small muted">{t('chatbots.handoff.hint')}</p>
            <Field
              label={t('chatbots.handoff.keywords')}
              description={t('chatbots.handoff.keywordsHint')}
              optionalLabel={t('common.optional')}
            >
              <Input {...register('handoffKeywords')} />
            </Field>
            <label className="row small">
              <input type="checkbox" {...register('handoffOnFallback')} />
              {t('chatbots.handoff.onFallback')}
            </label>
            <label className="row small">
              <input type="checkbox" {...register('handoffOnLlmRequest')} />
              {t('chatbots.handoff.onLlm')}
            </label>
            <Field
              label={t('chatbots.handoff.message')}
              error={errors.handoffMessage?.message}
              required
            >
              <Textarea rows={2} {...register('handoffMessage')} />
            </Field>
            <Field
              label={t('chatbots.handoff.resumeAfter')}
              description={t('chatbots.handoff.resumeAfterHint')}
              error={errors.handoffResumeAfter?.message}
              optionalLabel={t('common.optional')}
            >
              <Input inputMode="numeric" {...register('handoffResumeAfter')} />
            </Field>
            <label className="row small">
              <input type="checkbox" {...register('hoursEnabled')} />
              {t('chatbots.hours.enabled')}
            </label>
            {hoursEnabled ? (
              <>
                <div className="row" role="group" aria-label={t('chatbots.hours.days')}>
                  {WEEKDAYS.map((d) => (
                    <label key={d} className="row small">
                      <input type="checkbox" value={String(d)} {...register('hoursWeekdays')} />
                      {t(`chatbots.hours.day.${d}`)}
                    </label>
                  ))}
                </div>
                <div className="two-col" style={{ gridTemplateColumns: '1fr 1fr 2fr' }}>
                  <Field
                    label={t('chatbots.hours.from')}
                    error={errors.hoursFrom?.message}
                    required
                  >
                    <Input type="time" {...register('hoursFrom')} />
                  </Field>
                  <Field label={t('chatbots.hours.to')} error={errors.hoursTo?.message} required>
                    <Input type="time" {...register('hoursTo')} />
                  </Field>
                  <Field
                    label={t('chatbots.hours.timeZone')}
                    error={errors.hoursTimeZone?.message}
                    required
                  >
                    <Input {...register('hoursTimeZone')} />
                  </Field>
                </div>
                <Field
                  label={t('chatbots.hours.outsideMessage')}
                  description={t('chatbots.hours.outsideMessageHint')}
                  error={errors.outsideHoursMessage?.message}
                  optionalLabel={t('common.optional')}
                >
                  <Textarea rows={2} {...register('outsideHoursMessage')} />
                </Field>
              </>
            ) : null}
          </fieldset>
          <fieldset className="stack-sm" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="field-label">{t('chatbots.consent.title')}</legend>
            <p className="small muted">{t('chatbots.consent.hint')}</p>
            <Field
              label={t('chatbots.consent.optOutKeywords')}
              description={t('chatbots.consent.keywordsHint')}
              error={errors.optOutKeywords?.message}
              required
            >
              <Input {...register('optOutKeywords')} />
            </Field>
            <Field
              label={t('chatbots.consent.optOutConfirmation')}
              error={errors.optOutConfirmation?.message}
              required
            >
              <Textarea rows={2} {...register('optOutConfirmation')} />
            </Field>
            <Field
              label={t('chatbots.consent.optInKeywords')}
              description={t('chatbots.consent.keywordsHint')}
              error={errors.optInKeywords?.message}
              required
            >
              <Input {...register('optInKeywords')} />
            </Field>
            <Field
              label={t('chatbots.consent.optInConfirmation')}
              error={errors.optInConfirmation?.message}
              required
            >
              <Textarea rows={2} {...register('optInConfirmation')} />
            </Field>
          </fieldset>
          <label className="row small">
            <input type="checkbox" {...register('singleMessageReplies')} />
            {t('chatbots.singleMessageReplies')}
          </label>
          <p className="small muted">{t('chatbots.singleMessageRepliesHint')}</p>
        </fieldset>
        {readOnly ? null : (
          <div className="row" style={{ justifyContent: 'flex-end' }}>
            <Button type="submit" variant="primary" loading={update.isPending} disabled={!isDirty}>
              {update.isPending ? t('common.saving') : t('common.save')}
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}
