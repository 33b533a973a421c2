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
  totals: { delivered: number; billable: number; free: number };
}
