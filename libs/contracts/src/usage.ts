import type { FieldError } from './errors';
import type { FieldRule } from './rules';

/** A month as `YYYY-MM` (UTC). */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** `GET /api/v1/usage?integrationId=&month=`. */
export interface UsageQuery {
  integrationId: string;
  month: string;
}

/** Delivered messages of one pricing category (and, in `byCountry`, one country calling code). */
export interface UsageRow {
  /** Meta's `pricing.category`: `service`, `utility`, `marketing`, `authentication`, … */
  category: string;
  /** The recipient's country calling code (`34`, `1`); null when unknown. Only in `byCountry`. */
  callingCode?: string | null;
  delivered: number;
  /** Meta said billable. */
  billable: number;
  /** Not billable (free-entry-point window, free customer service, …). */
  free: number;
}

/** What one number sent in a month and Meta priced, from the status webhooks' `pricing`. */
export interface UsageView {
  integrationId: string;
  month: string;
  byCategory: UsageRow[];
  byCountry: UsageRow[];
  /** Who sent the delivered messages: the bot, a person of the team, or templates. */
  bySender: { bot: number; agent: number; template: number };
  /**
   * Delivered free-form replies (bot and agents): how many, how many went as more than one
   * WhatsApp message, and how many messages they took (each part is billed).
   */
  replies: { total: number; split: number; parts: number };
  totals: { delivered: number; billable: number; free: number };
  /** The workspace's rate card times the billable counts; null when the card is empty. */
  estimate: UsageEstimate | null;
}

/** Meta's pricing categories a rate card can price (as `pricing.category` names them). */
export const RATE_CARD_CATEGORIES = [
  'marketing',
  'marketing_lite',
  'utility',
  'authentication',
  'authentication_international',
  'service',
] as const;
export type RateCardCategory = (typeof RATE_CARD_CATEGORIES)[number];

/**
 * Meta's current pricing page (where `/docs/whatsapp/pricing` now leads): the rates are Meta's to
 * publish, Conecta ships none.
 */
export const META_PRICING_URL =
  'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing';

/** A price per delivered billable message of one category, in one country or (null) by default. */
export interface RateCardEntry {
  category: RateCardCategory;
  /** Country calling code (`34`, `1`); null: the category's price for every other country. */
  callingCode: string | null;
  price: number;
}

/** `GET`/`PUT /api/v1/usage/rate-card`: the workspace's own prices, empty until someone fills it. */
export interface RateCard {
  /** ISO 4217 code (`EUR`, `USD`). */
  currency: string;
  rates: RateCardEntry[];
}

export interface RateCardView extends RateCard {
  /** When it was last saved; null: never (empty card). */
  updatedAt: string | null;
}

export const RATE_CARD_RULES = {
  currency: {
    required: true,
    pattern: /^[A-Z]{3}$/,
    patternMessage: 'must be an ISO 4217 currency code such as EUR',
  },
  callingCode: {
    required: false,
    pattern: /^[1-9]\d{0,3}$/,
    patternMessage: 'must be a country calling code such as 34 (digits, no +)',
  },
} satisfies Record<string, FieldRule>;
export const RATE_CARD_MAX_ENTRIES = 500;
/** The highest price per message the card takes (a typo guard, in the card's currency). */
export const RATE_CARD_MAX_PRICE = 1000;

/** Whether `code` is an ISO 4217 currency this runtime knows (any 3 capitals where it cannot tell). */
function knownCurrency(code: string): boolean {
  const intl = Intl as { supportedValuesOf?: (key: 'currency') => string[] };
  return intl.supportedValuesOf ? intl.supportedValuesOf('currency').includes(code) : true;
}

/**
 * What the field rules cannot say about a rate card: a known ISO 4217 currency, and one price per
 * category and country (a repeated pair would make the estimate ambiguous).
 */
export function rateCardProblems(card: RateCard): FieldError[] {
  const problems: FieldError[] = [];
  if (RATE_CARD_RULES.currency.pattern.test(card.currency) && !knownCurrency(card.currency)) {
    problems.push({
      field: 'currency',
      code: 'currencyUnknown',
      message: 'is not an ISO 4217 code',
    });
  }
  const seen = new Set<string>();
  card.rates.forEach((r, i) => {
    const key = `${r.category}|${r.callingCode ?? ''}`;
    if (seen.has(key)) {
      problems.push({
        field: `rates[${i}]`,
        code: 'rateRepeated',
        message: 'repeats the price of a category and country',
      });
    }
    seen.add(key);
  });
  return problems;
}

/** The price of one billable message: the country's, else the category's default; null if none. */
export function rateFor(
  card: RateCard,
  category: string,
  callingCode: string | null | undefined,
): number | null {
  const exact = card.rates.find((r) => r.category === category && r.callingCode === callingCode);
  const fallback = card.rates.find((r) => r.category === category && r.callingCode === null);
  return (exact ?? fallback)?.price ?? null;
}

/** The estimate of a month: billable counts times the card's prices. Never Meta's invoice. */
export interface UsageEstimate {
  currency: string;
  total: number;
  /** Priced rows: billable messages of a category and country, the price used and the amount. */
  priced: {
    category: string;
    callingCode: string | null;
    billable: number;
    price: number;
    amount: number;
  }[];
  /** Billable rows the card has no price for (left out of `total`). */
  unpriced: { category: string; callingCode: string | null; billable: number }[];
}

/** Multiplies the billable rows by the card; null when the card has no prices. */
export function estimateUsage(
  card: RateCard,
  byCountry: readonly UsageRow[],
): UsageEstimate | null {
  if (card.rates.length === 0) return null;
  const estimate: UsageEstimate = { currency: card.currency, total: 0, priced: [], unpriced: [] };
  for (const row of byCountry) {
    if (row.billable === 0) continue;
    const callingCode = row.callingCode ?? null;
    const price = rateFor(card, row.category, callingCode);
    if (price === null) {
      estimate.unpriced.push({ category: row.category, callingCode, billable: row.billable });
      continue;
    }
    // Rounded to millionths: prices like 0.0613 times counts must not show float noise.
    const amount = Math.round(price * row.billable * 1e6) / 1e6;
    estimate.priced.push({
      category: row.category,
      callingCode,
      billable: row.billable,
      price,
      amount,
    });
    estimate.total = Math.round((estimate.total + amount) * 1e6) / 1e6;
  }
  return estimate;
}
