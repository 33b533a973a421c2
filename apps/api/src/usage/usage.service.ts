import { Injectable } from '@nestjs/common';
import type { UsageRow, UsageView } from '@conecta/contracts';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Actor } from '../common/actor';
import { ConversationsService } from '../conversations/conversations.service';
import { TemplatesService } from '../templates/templates.service';

const DELIVERED = new Set(['delivered', 'read']);

/** `34` for `34600111222`; null when the digits are not a phone number. */
function callingCodeOf(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  return parsePhoneNumberFromString(`+${digits}`)?.countryCallingCode ?? null;
}

/** What each number's messages cost in Meta's terms: counts by pricing category and country. */
@Injectable()
export class UsageService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly templates: TemplatesService,
  ) {}

  async usage(actor: Actor, integrationId: string, month: string): Promise<UsageView> {
    await this.templates.integrationOf(actor.workspaceId, integrationId);
    const from = new Date(`${month}-01T00:00:00.000Z`);
    const to = new Date(from);
    to.setUTCMonth(to.getUTCMonth() + 1);
    const priced = await this.conversations.pricedMessagesOfIntegration(
      actor.workspaceId,
      integrationId,
      from,
      to,
    );
    const byCategory = new Map<string, UsageRow>();
    const byCountry = new Map<string, UsageRow>();
    const bySender = { bot: 0, agent: 0, template: 0 };
    const totals = { delivered: 0, billable: 0, free: 0 };
    const count = (rows: Map<string, UsageRow>, key: string, base: UsageRow, billable: boolean) => {
      const row = rows.get(key) ?? base;
      row.delivered++;
      if (billable) row.billable++;
      else row.free++;
      rows.set(key, row);
    };
    for (const { message, phone } of priced) {
      // Meta bills what it delivered; a failed or undelivered message is not counted.
      if (!message.pricing || !DELIVERED.has(message.deliveryStatus ?? '')) continue;
      const category = message.pricing.category ?? 'unknown';
      const billable = message.pricing.billable === true;
      const callingCode = callingCodeOf(phone);
      count(byCategory, category, { category, delivered: 0, billable: 0, free: 0 }, billable);
      count(
        byCountry,
        `${category}|${callingCode ?? ''}`,
        { category, callingCode, delivered: 0, billable: 0, free: 0 },
        billable,
      );
      totals.delivered++;
      if (billable) totals.billable++;
      else totals.free++;
      if (message.template) bySender.template++;
      else if (message.authorUserId) bySender.agent++;
      else bySender.bot++;
    }
    const sorted = (rows: Map<string, UsageRow>) =>
      [...rows.values()].sort(
        (a, b) =>
          a.category.localeCompare(b.category) ||
          (a.callingCode ?? '').localeCompare(b.callingCode ?? ''),
      );
    return {
      integrationId,
      month,
      byCategory: sorted(byCategory),
      byCountry: sorted(byCountry),
      bySender,
      totals,
    };
  }
}
