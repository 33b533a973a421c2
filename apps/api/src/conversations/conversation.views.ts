import { CUSTOMER_SERVICE_WINDOW_MS, maskPhone, PHONE_CHANNELS } from '@conecta/contracts';
import type {
  BotSwitchView,
  ConversationListItem,
  MessageSender,
  MessageView,
  SearchableContact,
} from '@conecta/contracts';
import type { ConversationRecord, MessageRecord } from './conversation.types';

/** Separators people write inside a number: spaces, dots, dashes, parentheses. */
const SEP = '[\\s.()-]{0,2}';

/** Compiled patterns by phone digits, so a phone's pattern is built once, not per text. */
const PHONE_PATTERNS = new Map<string, RegExp>();
const PHONE_PATTERNS_KEPT = 500;

/** The shortest form of a phone the pattern matches (its national digits): see {@link scrubPhone}. */
const MIN_PHONE_DIGITS = 7;

function hasDigits(text: string, atLeast: number): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57 && ++n >= atLeast) return true;
  }
  return false;
}

function phonePattern(digits: string): RegExp {
  const known = PHONE_PATTERNS.get(digits);
  if (known) return known;
  const spelled = (d: string): string => d.split('').join(SEP);
  const forms = [`(?:\\+|00)?${SEP}${spelled(digits)}`];
  for (let cc = 1; cc <= 3 && digits.length - cc >= MIN_PHONE_DIGITS; cc++) {
    forms.push(`\\(?(?:0${SEP})?${spelled(digits.slice(cc))}`);
  }
  const pattern = new RegExp(`(?<!\\d)(?:${forms.join('|')})(?!\\d)`, 'g');
  // Oldest first out: a bounded memory however many customers a process meets.
  if (PHONE_PATTERNS.size >= PHONE_PATTERNS_KEPT) {
    const oldest = PHONE_PATTERNS.keys().next().value;
    if (oldest !== undefined) PHONE_PATTERNS.delete(oldest);
  }
  PHONE_PATTERNS.set(digits, pattern);
  return pattern;
}

/**
 * Replaces a visitor's phone number inside free text by its masked form: profile names, messages
 * and Meta's failure reasons can contain it. Matches the international form (with or without +)
 * and the national forms a customer types: without a 1–3 digit country code, with or without a
 * trunk 0, grouped by spaces, dots, dashes or parentheses ("611 222 333", "(611) 222-333").
 * Every form holds at least 7 of the phone's digits: a text with fewer holds none.
 */
export function scrubPhone(text: string, phone: string | null): string {
  if (!hasDigits(text, MIN_PHONE_DIGITS)) return text;
  const digits = (phone ?? '').replace(/\D/g, '');
  const masked = maskPhone(digits);
  if (digits.length < MIN_PHONE_DIGITS || masked === null) return text;
  return text.replace(phonePattern(digits), masked);
}

/** Masks every phone-like run of 7+ digits (for texts that may name numbers other than the visitor's). */
export function scrubPhoneNumbers(text: string): string {
  return text.replace(/\+?\(?\d(?:[\s.()-]{0,2}\d){6,}/g, (run) => maskPhone(run) ?? run);
}

type PhoneSource = Pick<ConversationRecord, 'channel' | 'visitorId' | 'contactPhone'>;

/** The phone numbers of a conversation's customer: the one it started with and the latest. */
function phonesOf(c: PhoneSource): string[] {
  if (!PHONE_CHANNELS.includes(c.channel)) return [];
  return [c.visitorId, c.contactPhone].filter((p): p is string => p !== null && /^\+?\d+$/.test(p));
}

/** Masks every phone of the conversation's customer inside a text. */
function scrubAll(text: string, phones: string[]): string {
  return phones.reduce((out, phone) => scrubPhone(out, phone), text);
}

/** A business-scoped user id, shortened for display: `US.13491208655302741918` → `US…1918`. */
export function shortUserId(userId: string): string {
  const [prefix] = userId.split('.');
  const tail = userId.replace(/[^A-Za-z0-9]/g, '').slice(-4);
  return prefix && prefix !== userId ? `${prefix}…${tail}` : `…${tail}`;
}

/** The short id shown for a visitor without a name: the BSUID's short form, else the visitor id's end. */
function shortIdOf(c: Pick<ConversationRecord, 'visitorId' | 'contactUserId'>): string {
  return c.contactUserId
    ? shortUserId(c.contactUserId)
    : `#${c.visitorId.replace(/[^A-Za-z0-9]/g, '').slice(-6)}`;
}

type ContactSource = PhoneSource &
  Pick<ConversationRecord, 'contactName' | 'contactUserId' | 'contactUsername'>;

/** What the search finds a conversation by: only what the list shows (the phone's last digits). */
export function searchableContact(c: ContactSource): SearchableContact {
  const phones = phonesOf(c);
  const latest = phones.at(-1) ?? null;
  const digitsShown = latest === null ? null : (maskPhone(latest)?.replace(/\D/g, '') ?? null);
  return {
    contactName: c.contactName === null ? null : scrubAll(c.contactName, phones),
    contactUsername: c.contactUsername,
    phoneDigitsShown: digitsShown,
    // A WhatsApp visitor id is the phone: its end is shown only as the masked digits.
    shortId: digitsShown === null ? shortIdOf(c) : null,
  };
}

/** Whether the bot is paused at `now`: a pause with a passed end time is over (no timer needed). */
export function botSwitchAt(
  c: Pick<ConversationRecord, 'botPaused' | 'botPausedUntil'>,
  now: Date,
): BotSwitchView {
  if (!c.botPaused) return { state: 'active', pausedUntil: null };
  if (c.botPausedUntil && c.botPausedUntil.getTime() <= now.getTime()) {
    return { state: 'active', pausedUntil: null };
  }
  return { state: 'paused', pausedUntil: c.botPausedUntil ? c.botPausedUntil.toISOString() : null };
}

/** The end of WhatsApp's 24-hour window; null off WhatsApp or before the customer wrote. */
export function windowEndsAt(
  c: Pick<ConversationRecord, 'channel' | 'lastCustomerMessageAt'>,
): Date | null {
  if (c.channel !== 'whatsapp' || !c.lastCustomerMessageAt) return null;
  return new Date(c.lastCustomerMessageAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS);
}

/** Who wrote a message, as the thread tells them apart. */
export function senderOf(
  m: Pick<MessageRecord, 'role' | 'sentFromBusinessApp' | 'authorUserId'>,
): MessageSender {
  if (m.role === 'user') return 'customer';
  if (m.sentFromBusinessApp) return 'business_app';
  return m.authorUserId ? 'agent' : 'bot';
}

export function toConversationView(
  c: ConversationRecord,
  ctx: { now: Date; readCount?: number } = { now: new Date() },
): ConversationListItem {
  const phones = phonesOf(c);
  const latest = phones.at(-1) ?? null;
  const maskedPhone = latest === null ? null : maskPhone(latest);
  const shortId = shortIdOf(c);
  return {
    id: c.id,
    chatbotId: c.chatbotId,
    channel: c.channel,
    integrationId: c.integrationId,
    status: c.status,
    isFavorite: c.isFavorite,
    contactName: c.contactName === null ? null : scrubAll(c.contactName, phones),
    maskedPhone,
    username: c.contactUsername,
    visitorLabel: c.contactUsername ?? maskedPhone ?? shortId,
    lastMessagePreview: scrubAll(c.lastMessagePreview, phones),
    lastMessageAt: c.lastMessageAt.toISOString(),
    adReferral: c.adReferral,
    freeEntryPointEndsAt: c.freeEntryPointEndsAt ? c.freeEntryPointEndsAt.toISOString() : null,
    messageCount: c.messageCount,
    assigneeId: c.assigneeId,
    bot: botSwitchAt(c, ctx.now),
    unreadCount: Math.max(0, c.customerMessageCount - (ctx.readCount ?? c.customerMessageCount)),
    windowEndsAt: windowEndsAt(c)?.toISOString() ?? null,
    marketingConsent: {
      optedOut: c.marketingOptedOut,
      history: c.consentHistory.map((e) => ({
        state: e.state,
        via: e.via,
        at: new Date(e.at).toISOString(),
      })),
    },
    startedAt: c.startedAt.toISOString(),
    endedAt: c.endedAt ? c.endedAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** A message as the SPA sees it; `conversation` gives the visitor number to scrub from the text. */
export function toMessageView(m: MessageRecord, conversation: PhoneSource): MessageView {
  const phones = phonesOf(conversation);
  return {
    id: m.id,
    conversationId: m.conversationId,
    role: m.role,
    channel: m.channel,
    content: scrubAll(m.content, phones),
    createdAt: m.createdAt.toISOString(),
    deliveryStatus: m.role === 'assistant' ? m.deliveryStatus : null,
    failureReason:
      m.deliveryStatus === 'failed' && m.errorReason
        ? scrubPhoneNumbers(scrubAll(m.errorReason, phones))
        : null,
    failureType: m.deliveryStatus === 'failed' ? (m.errorType ?? 'UNKNOWN') : null,
    failureCode: m.deliveryStatus === 'failed' ? (m.errorCode ?? null) : null,
    failedPart: m.deliveryStatus === 'failed' && m.failedPart !== null ? m.failedPart + 1 : null,
    media: m.media
      ? {
          kind: m.media.kind,
          mimeType: m.media.mimeType ?? null,
          fileName: m.media.fileName ?? null,
          caption: m.media.caption === undefined ? null : scrubAll(m.media.caption, phones),
          voice: m.media.voice ?? false,
          state: m.media.state ?? 'pending',
          size: m.media.size ?? null,
          sniffedType: m.media.sniffedType ?? null,
          failureCode: m.media.failureCode ?? null,
          failureDetail:
            m.media.failureDetail === undefined
              ? null
              : scrubPhoneNumbers(scrubAll(m.media.failureDetail, phones)),
          transcript:
            m.media.transcript === undefined ? null : scrubAll(m.media.transcript, phones),
        }
      : null,
    location: m.location
      ? {
          latitude: m.location.latitude,
          longitude: m.location.longitude,
          name: m.location.name ?? null,
          address: m.location.address ?? null,
        }
      : null,
    sharedContacts: m.sharedContacts
      ? m.sharedContacts.map((c) => ({
          name: c.name ?? null,
          phones: c.phones.map((p) => scrubAll(p, phones)),
          emails: c.emails,
          company: c.company ?? null,
        }))
      : null,
    isReply: m.replyToExternalId !== null,
    sentFromBusinessApp: m.sentFromBusinessApp,
    template: m.template
      ? { name: m.template.name, language: m.template.language, category: m.template.category }
      : null,
    sender: senderOf(m),
    authorUserId: m.authorUserId,
    authorName: m.authorName,
    tokens: m.tokens,
    responseTime: m.responseTime,
    firstTokenLatency: m.firstTokenLatency,
  };
}

const PREVIEW_LENGTH = 120;

/** The list's one-line preview of a message. */
export function previewOf(content: string, mediaKind?: string): string {
  const text = content.replace(/\s+/g, ' ').trim();
  if (text === '' && mediaKind) return `[${mediaKind}]`;
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
}
