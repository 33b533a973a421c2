import { Injectable } from '@nestjs/common';
import { type UsageRow, type UsageView, estimateUsage } from '@conecta/contracts';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Actor } from '../common/actor';
import { ConversationsService } from '../conversations/conversations.service';
import { MessagePartsService } from '../conversations/message-parts.service';
import { TemplatesService } from '../templates/templates.service';
import { RateCardService } from './rate-card.service';

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
    private readonly parts: MessagePartsService,
    private readonly rateCard: RateCardService,
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
    // Meta bills what it delivered; a failed or undelivered message is not counted.
    const delivered = priced.filter(
      ({ message }) => message.pricing && DELIVERED.has(message.deliveryStatus ?? ''),
    );
    // A split reply is several WhatsApp messages, each delivered and billed on its own.
    const partCounts = await this.parts.partCounts(delivered.map(({ message }) => message.id));
    const byCategory = new Map<string, UsageRow>();
    const byCountry = new Map<string, UsageRow>();
    const bySender = { bot: 0, agent: 0, template: 0 };
    const replies = { total: 0, split: 0, parts: 0 };
    const totals = { delivered: 0, billable: 0, free: 0 };
    const count = (
      rows: Map<string, UsageRow>,
      key: string,
      base: UsageRow,
      billable: boolean,
      n: number,
    ) => {
      const row = rows.get(key) ?? base;
      row.delivered += n;
      if (billable) row.billable += n;
      else row.free += n;
      rows.set(key, row);
    };
    for (const { message, phone } of delivered) {
      const category = message.pricing?.category ?? 'unknown';
      const billable = message.pricing?.billable === true;
      const callingCode = callingCodeOf(phone);
      const n = message.template ? 1 : Math.max(1, partCounts.get(message.id) ?? 1);
      count(byCategory, category, { category, delivered: 0, billable: 0, free: 0 }, billable, n);
      count(
        byCountry,
        `${category}|${callingCode ?? ''}`,
        { category, callingCode, delivered: 0, billable: 0, free: 0 },
        billable,
        n,
      );
      totals.delivered += n;
      if (billable) totals.billable += n;
      else totals.free += n;
      if (message.template) {
        bySender.template += n;
        continue;
      }
      if (message.authorUserId) bySender.agent += n;
      else bySender.bot += n;
      replies.total++;
      replies.parts += n;
      if (n > 1) replies.split++;
    }
    const sorted = (rows: Map<string, UsageRow>) =>
      [...rows.values()].sort(
        (a, b) =>
          a.category.localeCompare(b.category) ||
          (a.callingCode ?? '').localeCompare(b.callingCode ?? ''),
      );
    const countries = sorted(byCountry);
    return {
      integrationId,
      month,
      byCategory: sorted(byCategory),
      byCountry: countries,
      bySender,
      replies,
      totals,
      estimate: estimateUsage(await this.rateCard.get(actor.workspaceId), countries),
    };
  }
}
