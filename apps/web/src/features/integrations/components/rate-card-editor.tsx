import {
  META_PRICING_URL,
  RATE_CARD_CATEGORIES,
  RATE_CARD_MAX_ENTRIES,
  RATE_CARD_MAX_PRICE,
  RATE_CARD_RULES,
  checkField,
  rateCardProblems,
  type RateCard,
  type RateCardCategory,
  type RateCardView,
} from '@conecta/contracts';
import { useEffect, useId, useMemo } from 'react';
import { useFieldArray, useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { Button } from '../../../components/button';
import { Field, Input, Select } from '../../../components/field';
import { useToast } from '../../../components/toast';
import { errorMessage } from '../../../lib/error-message';
import { useI18n, type Translate } from '../../../lib/i18n/i18n';
import { useRateCard } from '../api/get-rate-card';
import { useSaveRateCard } from '../api/save-rate-card';
import { categoryWords } from './category-words';

interface RateRow {
  category: RateCardCategory;
  /** Empty: the category's price for every other country. */
  callingCode: string;
  /** As typed; a comma is read as the decimal point. */
  price: string;
}
interface RateCardFormValues {
  currency: string;
  rates: RateRow[];
}

type RowErrors = Partial<Record<keyof RateRow, { type: string; message: string }>>;

function parsePrice(text: string): number | null {
  const value = text.trim().replace(',', '.');
  if (!/^\d+(\.\d{1,6})?$/.test(value)) return null;
  const n = Number(value);
  return n <= RATE_CARD_MAX_PRICE ? n : null;
}

function toCard(v: RateCardFormValues): RateCard {
  return {
    currency: v.currency.trim().toUpperCase(),
    rates: v.rates.map((r) => ({
      category: r.category,
      callingCode: r.callingCode.trim().replace(/^\+/, '') || null,
      price: parsePrice(r.price) ?? 0,
    })),
  };
}

function toFormValues(card: RateCardView): RateCardFormValues {
  return {
    currency: card.currency,
    rates: card.rates.map((r) => ({
      category: r.category,
      callingCode: r.callingCode ?? '',
      price: String(r.price),
    })),
  };
}

/** The field rules, the price format and the shared rule (known currency, no repeated row). */
function rateCardResolver(t: Translate): Resolver<RateCardFormValues> {
  return (values) => {
    const errors: Record<string, unknown> = {};
    const card = toCard(values);
    const currency = checkField(RATE_CARD_RULES.currency, card.currency);
    if (currency) {
      errors.currency = { type: currency.code, message: t('rateCard.currencyInvalid') };
    }
    const rows: Record<number, RowErrors> = {};
    values.rates.forEach((r, i) => {
      const row: RowErrors = {};
      const code = card.rates[i]?.callingCode;
      if (code && checkField(RATE_CARD_RULES.callingCode, code)) {
        row.callingCode = { type: 'pattern', message: t('rateCard.callingCodeInvalid') };
      }
      if (parsePrice(r.price) === null) {
        row.price = {
          type: 'pattern',
          message: t('rateCard.priceInvalid', { max: RATE_CARD_MAX_PRICE }),
        };
      }
      if (Object.keys(row).length > 0) rows[i] = row;
    });
    for (const p of currency ? [] : rateCardProblems(card)) {
      if (p.field === 'currency') {
        errors.currency = { type: p.code, message: t('rateCard.currencyInvalid') };
        continue;
      }
      const i = Number(/\d+/.exec(p.field)?.[0]);
      rows[i] = { ...rows[i], callingCode: { type: p.code, message: t('rateCard.repeated') } };
    }
    if (Object.keys(rows).length > 0) errors.rates = rows;
    if (Object.keys(errors).length === 0) return { values, errors: {} };
    return { values: {}, errors: errors as FieldErrors<RateCardFormValues> };
  };
}

/**
 * The workspace's rate card: the business's own prices per delivered message, by category and
 * country calling code (empty: the category's default). Conecta ships no prices; the card links
 * to Meta's page. Admins edit it; everyone else reads it.
 */
export function RateCardEditor({ readOnly }: { readOnly: boolean }): React.JSX.Element {
  const { t } = useI18n();
  const id = useId();
  const toast = useToast();
  const card = useRateCard();
  const save = useSaveRateCard();
  const resolver = useMemo(() => rateCardResolver(t), [t]);
  const form = useForm<RateCardFormValues>({
    resolver,
    defaultValues: { currency: 'EUR', rates: [] },
  });
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isDirty },
  } = form;
  const rates = useFieldArray({ control: form.control, name: 'rates' });
  useEffect(() => {
    if (card.data) reset(toFormValues(card.data));
  }, [card.data, reset]);

  const onSubmit = handleSubmit((values) =>
    save.mutate(toCard(values), {
      onSuccess: () => toast(t('rateCard.saved')),
      onError: (error) => toast(errorMessage(error, t), 'error'),
    }),
  );

  return (
    <form className="stack-sm" noValidate onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('rateCard.title')}</h3>
      <p className="small muted">
        {t('rateCard.hint')}{' '}
        <a href={META_PRICING_URL} target="_blank" rel="noreferrer noopener">
          {t('rateCard.metaLink')} ↗
        </a>
      </p>
      {card.isError && !card.data ? (
        <p className="small text-danger" role="alert">
          {errorMessage(card.error, t)}
        </p>
      ) : null}
      <fieldset
        disabled={readOnly}
        className="stack-sm"
        style={{ border: 0, padding: 0, margin: 0 }}
      >
        <Field
          label={t('rateCard.currency')}
          description={t('rateCard.currencyHint')}
          error={errors.currency?.message}
          required
        >
          <Input maxLength={3} style={{ maxWidth: 100 }} {...register('currency')} />
        </Field>
        {rates.fields.length === 0 ? <p className="small muted">{t('rateCard.empty')}</p> : null}
        {rates.fields.map((row, i) => (
          <div
            key={row.id}
            className="two-col"
            role="group"
            aria-label={t('rateCard.row', { n: i + 1 })}
            style={{ gridTemplateColumns: '2fr 1fr 1fr auto', alignItems: 'start' }}
          >
            <Field label={t('rateCard.category')}>
              <Select {...register(`rates.${i}.category` as const)}>
                {RATE_CARD_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {categoryWords(c, t)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field
              label={t('rateCard.callingCode')}
              description={t('rateCard.callingCodeHint')}
              error={errors.rates?.[i]?.callingCode?.message}
              optionalLabel={t('common.optional')}
            >
              <Input inputMode="numeric" {...register(`rates.${i}.callingCode` as const)} />
            </Field>
            <Field label={t('rateCard.price')} error={errors.rates?.[i]?.price?.message} required>
              <Input inputMode="decimal" {...register(`rates.${i}.price` as const)} />
            </Field>
            {readOnly ? null : (
              <Button
                variant="ghost"
                size="sm"
                onClick={() => rates.remove(i)}
                aria-label={t('rateCard.remove', { n: i + 1 })}
                style={{ marginTop: 26 }}
              >
                ✕
              </Button>
            )}
          </div>
        ))}
        {readOnly ? null : (
          <div className="row">
            <Button
              size="sm"
              disabled={rates.fields.length >= RATE_CARD_MAX_ENTRIES}
              onClick={() => rates.append({ category: 'marketing', callingCode: '', price: '' })}
            >
              + {t('rateCard.add')}
            </Button>
            <Button
              type="submit"
              variant="primary"
              size="sm"
              loading={save.isPending}
              disabled={!isDirty}
            >
              {save.isPending ? t('common.saving') : t('rateCard.save')}
            </Button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
