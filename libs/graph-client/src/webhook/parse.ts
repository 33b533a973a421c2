import { classifyGraphError } from '../errors';
import type {
  AccountNotice,
  AccountNoticeEvent,
  AdReferral,
  MessageEchoEvent,
  InboundContent,
  InboundMessageEvent,
  InteractiveReply,
  ParseWebhookResult,
  SharedContact,
  StatusEvent,
  WebhookContext,
  WebhookErrorDetail,
  WebhookEvent,
  WebhookValidationCode,
} from './types';
import { NOTICE_FIELDS, WebhookValidationError } from './types';

/** Meta batches up to 1,000 updates per POST; anything bigger is not Meta. */
export const MAX_WEBHOOK_ARRAY = 1000;
export const MAX_WEBHOOK_EVENTS = 5000;
/** Deepest nesting accepted in the raw objects passed through (`unsupported`). */
export const MAX_WEBHOOK_DEPTH = 32;

type Obj = Record<string, unknown>;

/** What `contacts[]` says about a sender. */
interface ContactEntry {
  name?: string;
  username?: string;
  waId?: string;
  userId?: string;
}

class Failure {
  constructor(
    readonly code: WebhookValidationCode,
    readonly path: string,
    readonly message: string,
  ) {}
}

function fail(path: string, message: string, code: WebhookValidationCode = 'INVALID_SHAPE'): never {
  throw new Failure(code, path, message);
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown, path: string): Obj {
  if (!isObj(value)) fail(path, 'expected an object');
  return value;
}

function arr(value: unknown, path: string, max = MAX_WEBHOOK_ARRAY): unknown[] {
  if (!Array.isArray(value)) fail(path, 'expected an array');
  if (value.length > max) fail(path, `more than ${max} items`, 'TOO_LARGE');
  return value;
}

function optArr(o: Obj, key: string, path: string): unknown[] {
  return o[key] === undefined ? [] : arr(o[key], `${path}.${key}`);
}

function reqStr(o: Obj, key: string, path: string): string {
  const value = o[key];
  if (typeof value !== 'string' || value.length === 0) fail(`${path}.${key}`, 'expected a string');
  return value;
}

function optStr(o: Obj, key: string, path: string): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${path}.${key}`, 'expected a string');
  return value;
}

/**
 * Timestamps and numeric ids arrive as non-empty strings (Meta never sends them as numbers, which
 * would overflow); anything else is a malformed payload.
 */
function idLike(o: Obj, key: string, path: string, required: true): string;
function idLike(o: Obj, key: string, path: string, required: false): string | undefined;
function idLike(o: Obj, key: string, path: string, required: boolean): string | undefined {
  const value = o[key];
  if (typeof value === 'string' && value.length > 0) return value;
  if (!required && (value === undefined || value === null)) return undefined;
  return fail(`${path}.${key}`, 'expected a string');
}

function optBool(o: Obj, key: string, path: string): boolean | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') fail(`${path}.${key}`, 'expected a boolean');
  return value;
}

function optNum(o: Obj, key: string, path: string): number | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return fail(`${path}.${key}`, 'expected a number');
}

function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/** Iterative depth and size check of an untrusted value we pass through as-is. */
function checkRaw(value: unknown, path: string): void {
  const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
  let visited = 0;
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (typeof v !== 'object' || v === null) continue;
    if (d > MAX_WEBHOOK_DEPTH) fail(path, `nested deeper than ${MAX_WEBHOOK_DEPTH}`, 'TOO_DEEP');
    const children = Array.isArray(v) ? v : Object.values(v);
    if (children.length > MAX_WEBHOOK_ARRAY) fail(path, 'too many items', 'TOO_LARGE');
    visited += children.length;
    if (visited > 100_000) fail(path, 'too many values', 'TOO_LARGE');
    for (const child of children) stack.push({ v: child, d: d + 1 });
  }
}

function parseErrors(list: unknown[], path: string): WebhookErrorDetail[] {
  return list.map((item, i) => {
    const p = `${path}[${i}]`;
    const e = obj(item, p);
    const code = e.code;
    if (typeof code !== 'number' || !Number.isInteger(code))
      fail(`${p}.code`, 'expected an integer');
    const data = e.error_data === undefined ? {} : obj(e.error_data, `${p}.error_data`);
    const { errorType, retryable } = classifyGraphError({ code, endpoint: 'messages' });
    return compact({
      code,
      title: optStr(e, 'title', p),
      message: optStr(e, 'message', p),
      details: optStr(data, 'details', `${p}.error_data`),
      href: optStr(e, 'href', p),
      errorType,
      retryable,
    });
  });
}

const MEDIA_TYPES = new Set(['image', 'video', 'document', 'audio', 'sticker']);

function parseInteractive(value: unknown, path: string): InteractiveReply {
  const i = obj(value, path);
  const type = reqStr(i, 'type', path);
  if (type === 'button_reply' || type === 'list_reply') {
    const reply = obj(i[type], `${path}.${type}`);
    const id = reqStr(reply, 'id', `${path}.${type}`);
    const title = optStr(reply, 'title', `${path}.${type}`) ?? '';
    if (type === 'button_reply') return { type, id, title };
    return compact({
      type,
      id,
      title,
      description: optStr(reply, 'description', `${path}.${type}`),
    });
  }
  if (type === 'nfm_reply') {
    const reply = obj(i.nfm_reply, `${path}.nfm_reply`);
    return compact({
      type,
      name: optStr(reply, 'name', `${path}.nfm_reply`),
      body: optStr(reply, 'body', `${path}.nfm_reply`),
      responseJson: optStr(reply, 'response_json', `${path}.nfm_reply`),
    });
  }
  checkRaw(i, path);
  return { type: 'unknown', originalType: type, raw: i };
}

function parseContacts(list: unknown[], path: string): SharedContact[] {
  return list.map((item, i) => {
    const p = `${path}[${i}]`;
    const c = obj(item, p);
    const name = c.name === undefined ? undefined : obj(c.name, `${p}.name`);
    const org = c.org === undefined ? undefined : obj(c.org, `${p}.org`);
    return compact({
      name: name
        ? compact({
            formattedName: optStr(name, 'formatted_name', `${p}.name`),
            firstName: optStr(name, 'first_name', `${p}.name`),
            lastName: optStr(name, 'last_name', `${p}.name`),
          })
        : undefined,
      phones: optArr(c, 'phones', p).map((ph, j) => {
        const o = obj(ph, `${p}.phones[${j}]`);
        return compact({
          phone: optStr(o, 'phone', `${p}.phones[${j}]`),
          waId: optStr(o, 'wa_id', `${p}.phones[${j}]`),
          type: optStr(o, 'type', `${p}.phones[${j}]`),
        });
      }),
      emails: optArr(c, 'emails', p).map((em, j) => {
        const o = obj(em, `${p}.emails[${j}]`);
        return compact({
          email: optStr(o, 'email', `${p}.emails[${j}]`),
          type: optStr(o, 'type', `${p}.emails[${j}]`),
        });
      }),
      org: org
        ? compact({
            company: optStr(org, 'company', `${p}.org`),
            department: optStr(org, 'department', `${p}.org`),
            title: optStr(org, 'title', `${p}.org`),
          })
        : undefined,
      urls: optArr(c, 'urls', p).map((u, j) => {
        const o = obj(u, `${p}.urls[${j}]`);
        return compact({
          url: optStr(o, 'url', `${p}.urls[${j}]`),
          type: optStr(o, 'type', `${p}.urls[${j}]`),
        });
      }),
      birthday: optStr(c, 'birthday', p),
    });
  });
}

function parseContent(m: Obj, type: string, path: string): InboundContent {
  if (type === 'text') {
    const text = obj(m.text, `${path}.text`);
    return { type, text: reqStr(text, 'body', `${path}.text`) };
  }
  if (MEDIA_TYPES.has(type)) {
    const p = `${path}.${type}`;
    const media = obj(m[type], p);
    return {
      type: type as 'image' | 'video' | 'document' | 'audio' | 'sticker',
      media: compact({
        id: idLike(media, 'id', p, true),
        mimeType: optStr(media, 'mime_type', p),
        sha256: optStr(media, 'sha256', p),
        caption: optStr(media, 'caption', p),
        filename: optStr(media, 'filename', p),
        url: optStr(media, 'url', p),
        voice: optBool(media, 'voice', p),
        animated: optBool(media, 'animated', p),
      }),
    };
  }
  if (type === 'location') {
    const p = `${path}.location`;
    const loc = obj(m.location, p);
    const latitude = optNum(loc, 'latitude', p);
    const longitude = optNum(loc, 'longitude', p);
    if (latitude === undefined || longitude === undefined)
      fail(p, 'latitude and longitude are required');
    return {
      type,
      location: compact({
        latitude,
        longitude,
        name: optStr(loc, 'name', p),
        address: optStr(loc, 'address', p),
        url: optStr(loc, 'url', p),
      }),
    };
  }
  if (type === 'contacts') {
    return {
      type,
      contacts: parseContacts(arr(m.contacts, `${path}.contacts`), `${path}.contacts`),
    };
  }
  if (type === 'interactive') {
    return { type, interactive: parseInteractive(m.interactive, `${path}.interactive`) };
  }
  if (type === 'button') {
    const p = `${path}.button`;
    const button = obj(m.button, p);
    return compact({
      type,
      button: compact({
        text: optStr(button, 'text', p) ?? '',
        payload: optStr(button, 'payload', p),
      }),
    });
  }
  if (type === 'reaction') {
    const p = `${path}.reaction`;
    const reaction = obj(m.reaction, p);
    const emoji = optStr(reaction, 'emoji', p);
    return {
      type,
      reaction: compact({
        messageId: reqStr(reaction, 'message_id', p),
        emoji: emoji === '' ? undefined : emoji,
      }),
    };
  }
  if (type === 'order') {
    const p = `${path}.order`;
    const order = obj(m.order, p);
    return {
      type,
      order: compact({
        catalogId: idLike(order, 'catalog_id', p, false),
        text: optStr(order, 'text', p),
        items: optArr(order, 'product_items', p).map((item, i) => {
          const ip = `${p}.product_items[${i}]`;
          const o = obj(item, ip);
          return compact({
            productRetailerId: idLike(o, 'product_retailer_id', ip, false),
            quantity: optNum(o, 'quantity', ip),
            itemPrice: optNum(o, 'item_price', ip),
            currency: optStr(o, 'currency', ip),
          });
        }),
      }),
    };
  }
  if (type === 'system') {
    const p = `${path}.system`;
    const system = obj(m.system, p);
    return {
      type,
      system: compact({
        body: optStr(system, 'body', p),
        type: optStr(system, 'type', p),
        // The new number of a changed-number notice (`new_wa_id` in older payloads).
        waId: optStr(system, 'wa_id', p) ?? optStr(system, 'new_wa_id', p),
      }),
    };
  }
  checkRaw(m, path);
  const unsupported = isObj(m.unsupported) ? m.unsupported : undefined;
  const originalType =
    type === 'unsupported' && typeof unsupported?.type === 'string' ? unsupported.type : type;
  return { type: 'unsupported', originalType, raw: m };
}

/** Ad data is informative: a field of an unexpected shape is dropped, never the message. */
function parseReferral(value: unknown, path: string): AdReferral {
  const r = obj(value, path);
  const text = (key: string) => {
    const v = r[key];
    return typeof v === 'string' && v.length > 0
      ? v
      : typeof v === 'number'
        ? String(v)
        : undefined;
  };
  return compact({
    sourceUrl: text('source_url'),
    sourceId: text('source_id'),
    sourceType: text('source_type'),
    headline: text('headline'),
    body: text('body'),
    mediaType: text('media_type'),
    imageUrl: text('image_url'),
    videoUrl: text('video_url'),
    thumbnailUrl: text('thumbnail_url'),
    ctwaClid: text('ctwa_clid'),
  });
}

function parseMessage(
  item: unknown,
  path: string,
  ctx: WebhookContext,
  names: Map<string, ContactEntry>,
  onlyContact: ContactEntry | undefined,
): InboundMessageEvent {
  const m = obj(item, path);
  const wamid = reqStr(m, 'id', path);
  const type = reqStr(m, 'type', path);
  const from = optStr(m, 'from', path);
  const fromUserId = optStr(m, 'from_user_id', path);
  const contact = (from && names.get(from)) || (fromUserId && names.get(fromUserId)) || onlyContact;
  const context = m.context === undefined ? undefined : obj(m.context, `${path}.context`);
  const referred =
    context?.referred_product === undefined
      ? undefined
      : obj(context.referred_product, `${path}.context.referred_product`);
  const referral =
    m.referral === undefined ? undefined : parseReferral(m.referral, `${path}.referral`);
  const errors =
    m.errors === undefined
      ? undefined
      : parseErrors(arr(m.errors, `${path}.errors`), `${path}.errors`);
  return compact({
    kind: 'message' as const,
    ...ctx,
    wamid,
    from,
    fromUserId: fromUserId ?? contact?.userId,
    waId: contact?.waId,
    contactName: contact?.name,
    username: contact?.username,
    timestamp: idLike(m, 'timestamp', path, true),
    context: context
      ? compact({
          from: optStr(context, 'from', `${path}.context`),
          id: optStr(context, 'id', `${path}.context`),
          forwarded: optBool(context, 'forwarded', `${path}.context`),
          frequentlyForwarded: optBool(context, 'frequently_forwarded', `${path}.context`),
          referredProduct: referred
            ? compact({
                catalogId: idLike(
                  referred,
                  'catalog_id',
                  `${path}.context.referred_product`,
                  false,
                ),
                productRetailerId: idLike(
                  referred,
                  'product_retailer_id',
                  `${path}.context.referred_product`,
                  false,
                ),
              })
            : undefined,
        })
      : undefined,
    referral,
    errors,
    content: parseContent(m, type, path),
  });
}

function parseStatus(item: unknown, path: string, ctx: WebhookContext): StatusEvent {
  const s = obj(item, path);
  const conversation =
    s.conversation === undefined || s.conversation === null
      ? undefined
      : obj(s.conversation, `${path}.conversation`);
  const origin =
    conversation?.origin === undefined
      ? undefined
      : obj(conversation.origin, `${path}.conversation.origin`);
  const pricing =
    s.pricing === undefined || s.pricing === null ? undefined : obj(s.pricing, `${path}.pricing`);
  return compact({
    kind: 'status' as const,
    ...ctx,
    wamid: reqStr(s, 'id', path),
    status: reqStr(s, 'status', path),
    timestamp: idLike(s, 'timestamp', path, true),
    recipientId: idLike(s, 'recipient_id', path, false),
    recipientUserId: optStr(s, 'recipient_user_id', path),
    recipientType: optStr(s, 'recipient_type', path),
    bizOpaqueCallbackData: optStr(s, 'biz_opaque_callback_data', path),
    conversation: conversation
      ? compact({
          id: optStr(conversation, 'id', `${path}.conversation`),
          expirationTimestamp: idLike(
            conversation,
            'expiration_timestamp',
            `${path}.conversation`,
            false,
          ),
          originType: origin ? optStr(origin, 'type', `${path}.conversation.origin`) : undefined,
        })
      : undefined,
    pricing: pricing
      ? compact({
          billable: optBool(pricing, 'billable', `${path}.pricing`),
          pricingModel: optStr(pricing, 'pricing_model', `${path}.pricing`),
          type: optStr(pricing, 'type', `${path}.pricing`),
          category: optStr(pricing, 'category', `${path}.pricing`),
        })
      : undefined,
    errors: parseErrors(optArr(s, 'errors', path), `${path}.errors`),
  });
}

function toObject(body: unknown): unknown {
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      return JSON.parse(body.toString());
    } catch {
      return fail('$', 'body is not valid JSON', 'INVALID_JSON');
    }
  }
  return body;
}

function parseEcho(item: unknown, path: string, ctx: WebhookContext): MessageEchoEvent {
  const m = obj(item, path);
  return compact({
    kind: 'echo' as const,
    ...ctx,
    wamid: reqStr(m, 'id', path),
    to: optStr(m, 'to', path),
    toUserId: optStr(m, 'to_user_id', path),
    timestamp: idLike(m, 'timestamp', path, true),
    content: parseContent(m, reqStr(m, 'type', path), path),
  });
}

/** Longest text kept from a management change (Meta's descriptions are a sentence or two). */
const MAX_NOTICE_TEXT = 1000;

/**
 * A code or text of a management change: strings and numbers (ids, dates) as strings, bounded;
 * any other type is dropped. These changes are informative: an odd value must never cost the batch.
 */
function loose(o: Obj | undefined, key: string): string | undefined {
  const v = o?.[key];
  if (typeof v === 'string' && v.length > 0) return v.slice(0, MAX_NOTICE_TEXT);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function sub(o: Obj | undefined, key: string): Obj | undefined {
  const v = o?.[key];
  return isObj(v) ? v : undefined;
}

function texts(o: Obj | undefined, key: string): string[] | undefined {
  const v = o?.[key];
  if (!Array.isArray(v)) return undefined;
  return v
    .slice(0, 20)
    .filter((x): x is string => typeof x === 'string' && x.length > 0)
    .map((x) => x.slice(0, MAX_NOTICE_TEXT));
}

/** One change of a management field (Meta's documented shapes), leniently. */
function parseNotice(field: (typeof NOTICE_FIELDS)[number], value: Obj): AccountNotice {
  switch (field) {
    case 'message_template_status_update': {
      const other = sub(value, 'other_info');
      const rejection = sub(value, 'rejection_info');
      return compact({
        field,
        event: loose(value, 'event') ?? 'UNKNOWN',
        templateId: loose(value, 'message_template_id'),
        templateName: loose(value, 'message_template_name'),
        language: loose(value, 'message_template_language'),
        reason: loose(value, 'reason'),
        category: loose(value, 'message_template_category'),
        title: loose(other, 'title'),
        description: loose(other, 'description'),
        rejectionDetail: loose(rejection, 'reason'),
        recommendation: loose(rejection, 'recommendation'),
        disabledAt: loose(sub(value, 'disable_info'), 'disable_date'),
      });
    }
    case 'template_category_update':
      return compact({
        field,
        templateId: loose(value, 'message_template_id'),
        templateName: loose(value, 'message_template_name'),
        language: loose(value, 'message_template_language'),
        previousCategory: loose(value, 'previous_category'),
        newCategory: loose(value, 'new_category'),
        correctCategory: loose(value, 'correct_category'),
      });
    case 'account_update': {
      const list = Array.isArray(value.restriction_info)
        ? value.restriction_info
        : isObj(value.restriction_info)
          ? [value.restriction_info]
          : [];
      const ban = sub(value, 'ban_info');
      const certification = sub(value, 'partner_client_certification_info');
      return compact({
        field,
        event: loose(value, 'event') ?? 'UNKNOWN',
        phoneNumber: loose(value, 'phone_number'),
        restrictions: list
          .slice(0, 20)
          .filter(isObj)
          .map((r) =>
            compact({
              type: loose(r, 'restriction_type') ?? 'UNKNOWN',
              expiration: loose(r, 'expiration'),
            }),
          ),
        banState: loose(ban, 'waba_ban_state'),
        banDate: loose(ban, 'waba_ban_date'),
        violationType: loose(sub(value, 'violation_info'), 'violation_type'),
        verificationStatus: loose(certification, 'status'),
        verificationRejections: texts(certification, 'rejection_reasons'),
      });
    }
    case 'phone_number_quality_update':
      return compact({
        field,
        event: loose(value, 'event') ?? 'UNKNOWN',
        displayPhoneNumber: loose(value, 'display_phone_number'),
        // current_limit is deprecated (Feb 2026) in favour of the portfolio-wide limit.
        limit:
          loose(value, 'max_daily_conversations_per_business') ?? loose(value, 'current_limit'),
        oldLimit: loose(value, 'old_limit'),
      });
    case 'account_alerts': {
      const info = sub(value, 'alert_info');
      return compact({
        field,
        entityType: loose(value, 'entity_type'),
        entityId: loose(value, 'entity_id'),
        severity: loose(info, 'alert_severity'),
        status: loose(info, 'alert_status'),
        alertType: loose(info, 'alert_type') ?? 'UNKNOWN',
        description: loose(info, 'alert_description'),
      });
    }
    case 'phone_number_name_update':
      return compact({
        field,
        decision: loose(value, 'decision') ?? 'UNKNOWN',
        displayPhoneNumber: loose(value, 'display_phone_number'),
        requestedName: loose(value, 'requested_verified_name'),
        rejectionReason: loose(value, 'rejection_reason'),
      });
  }
}

const NOTICE_FIELD_SET = new Set<string>(NOTICE_FIELDS);

function parseChange(
  change: Obj,
  path: string,
  wabaId: string,
  time: string | undefined,
  events: WebhookEvent[],
): void {
  if (typeof change.field === 'string' && NOTICE_FIELD_SET.has(change.field)) {
    const value = obj(change.value, `${path}.value`);
    checkRaw(value, `${path}.value`);
    const event: AccountNoticeEvent = compact({
      kind: 'notice' as const,
      wabaId,
      time,
      notice: parseNotice(change.field as (typeof NOTICE_FIELDS)[number], value),
    });
    if (events.length >= MAX_WEBHOOK_EVENTS)
      fail(path, `more than ${MAX_WEBHOOK_EVENTS} events`, 'TOO_LARGE');
    events.push(event);
    return;
  }
  // Other fields have other shapes; not ours to handle.
  if (change.field !== 'messages' && change.field !== 'smb_message_echoes') return;
  const vp = `${path}.value`;
  const value = obj(change.value, vp);
  const echoes = change.field === 'smb_message_echoes' ? optArr(value, 'message_echoes', vp) : [];
  const messages = optArr(value, 'messages', vp);
  const statuses = optArr(value, 'statuses', vp);
  const errors = optArr(value, 'errors', vp);
  const metadata = value.metadata === undefined ? undefined : obj(value.metadata, `${vp}.metadata`);
  const phoneNumberId = metadata
    ? idLike(metadata, 'phone_number_id', `${vp}.metadata`, false)
    : undefined;
  const displayPhoneNumber = metadata
    ? optStr(metadata, 'display_phone_number', `${vp}.metadata`)
    : undefined;
  if ((messages.length > 0 || statuses.length > 0 || echoes.length > 0) && !phoneNumberId) {
    fail(`${vp}.metadata.phone_number_id`, 'expected a string');
  }
  const ctx: WebhookContext = compact({
    wabaId,
    phoneNumberId: phoneNumberId ?? '',
    displayPhoneNumber,
  });

  const names = new Map<string, ContactEntry>();
  const contacts = optArr(value, 'contacts', vp);
  let onlyContact: ContactEntry | undefined;
  contacts.forEach((item, i) => {
    const p = `${vp}.contacts[${i}]`;
    const c = obj(item, p);
    const profile = c.profile === undefined ? {} : obj(c.profile, `${p}.profile`);
    const entry: ContactEntry = compact({
      name: optStr(profile, 'name', `${p}.profile`),
      username: optStr(profile, 'username', `${p}.profile`),
      waId: optStr(c, 'wa_id', p),
      userId: optStr(c, 'user_id', p),
    });
    const { waId, userId } = entry;
    if (waId) names.set(waId, entry);
    if (userId) names.set(userId, entry);
    if (contacts.length === 1) onlyContact = entry;
  });

  const push = (event: WebhookEvent) => {
    if (events.length >= MAX_WEBHOOK_EVENTS)
      fail(path, `more than ${MAX_WEBHOOK_EVENTS} events`, 'TOO_LARGE');
    events.push(event);
  };
  messages.forEach((m, i) =>
    push(parseMessage(m, `${vp}.messages[${i}]`, ctx, names, onlyContact)),
  );
  statuses.forEach((s, i) => push(parseStatus(s, `${vp}.statuses[${i}]`, ctx)));
  echoes.forEach((e, i) => push(parseEcho(e, `${vp}.message_echoes[${i}]`, ctx)));
  parseErrors(errors, `${vp}.errors`).forEach((error) =>
    push(compact({ kind: 'error' as const, wabaId, phoneNumberId, displayPhoneNumber, error })),
  );
}

/**
 * Validates an untrusted webhook body (parsed JSON, or the raw Buffer/string) and returns every
 * message, status and error it carries, across all entries and changes. Never throws.
 */
export function parseWebhook(body: unknown): ParseWebhookResult {
  try {
    const root = obj(toObject(body), '$');
    if (typeof root.object !== 'string' || root.object.length === 0) {
      fail('$.object', 'expected "whatsapp_business_account"', 'UNEXPECTED_OBJECT');
    }
    // Another product of the same Meta app (a Page, Instagram): signed, so genuine, but not ours.
    // Answered with 200 so Meta does not retry it for days.
    if (root.object !== 'whatsapp_business_account') {
      return { ok: true, events: [], ignoredObject: root.object.slice(0, 64) };
    }
    const events: WebhookEvent[] = [];
    arr(root.entry, '$.entry').forEach((item, i) => {
      const path = `$.entry[${i}]`;
      const entry = obj(item, path);
      const wabaId = idLike(entry, 'id', path, true);
      const time =
        typeof entry.time === 'number' && Number.isFinite(entry.time)
          ? String(Math.trunc(entry.time))
          : typeof entry.time === 'string' && /^\d{1,12}$/.test(entry.time)
            ? entry.time
            : undefined;
      arr(entry.changes, `${path}.changes`).forEach((change, j) =>
        parseChange(
          obj(change, `${path}.changes[${j}]`),
          `${path}.changes[${j}]`,
          wabaId,
          time,
          events,
        ),
      );
    });
    return { ok: true, events };
  } catch (thrown) {
    if (thrown instanceof Failure) {
      return {
        ok: false,
        error: new WebhookValidationError(thrown.code, thrown.path, thrown.message),
      };
    }
    // A stack overflow or similar from a pathological value: still a validation failure.
    return {
      ok: false,
      error: new WebhookValidationError('INVALID_SHAPE', '$', 'unreadable payload'),
    };
  }
}

/**
 * The WABA ids (`entry[].id`, in every change of every field) and phone-number ids
 * (`value.metadata.phone_number_id`) a webhook body names, without full validation; used to find
 * the candidate app secrets before the signature is checked. Never throws.
 */
export function extractWebhookIds(body: unknown): { wabaIds: string[]; phoneNumberIds: string[] } {
  let root: unknown = body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      root = JSON.parse(body.toString());
    } catch {
      return { wabaIds: [], phoneNumberIds: [] };
    }
  }
  const wabaIds = new Set<string>();
  const phoneNumberIds = new Set<string>();
  if (!isObj(root) || !Array.isArray(root.entry)) return { wabaIds: [], phoneNumberIds: [] };
  for (const entry of root.entry.slice(0, MAX_WEBHOOK_ARRAY)) {
    if (!isObj(entry)) continue;
    if (typeof entry.id === 'string' && entry.id.length > 0) wabaIds.add(entry.id);
    if (!Array.isArray(entry.changes)) continue;
    for (const change of entry.changes.slice(0, MAX_WEBHOOK_ARRAY)) {
      const value = isObj(change) && isObj(change.value) ? change.value : undefined;
      const metadata = value && isObj(value.metadata) ? value.metadata : undefined;
      const id = metadata?.phone_number_id;
      if (typeof id === 'string' && id.length > 0) phoneNumberIds.add(id);
    }
  }
  return { wabaIds: [...wabaIds], phoneNumberIds: [...phoneNumberIds] };
}
