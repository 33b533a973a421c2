import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type InboundMessageEvent,
  MAX_WEBHOOK_ARRAY,
  type StatusEvent,
  type WebhookEvent,
  WebhookValidationError,
  extractWebhookIds,
  parseWebhook,
} from '@conecta/graph-client';
import {
  WEBHOOK_KINDS,
  buildInboundTextWebhook,
  buildStatusWebhook,
} from '@conecta/graph-client/testing';
import fc from 'fast-check';

const WABA = '102290129340398';
const PNID = '106540352242922';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

function events(body: unknown): WebhookEvent[] {
  const result = parseWebhook(body);
  if (!result.ok) throw new Error(`unexpected validation error: ${result.error.message}`);
  return result.events;
}

function onlyMessage(name: string): InboundMessageEvent {
  const [event, ...rest] = events(fixture(name));
  expect(rest).toHaveLength(0);
  if (event.kind !== 'message') throw new Error(`expected a message, got ${event.kind}`);
  return event;
}

function onlyStatus(name: string): StatusEvent {
  const [event] = events(fixture(name));
  if (event.kind !== 'status') throw new Error(`expected a status, got ${event.kind}`);
  return event;
}

type Key = string | number;
type Node = Record<Key, unknown>;
const DELETE = Symbol('delete');
const VALUE: Key[] = ['entry', 0, 'changes', 0, 'value'];
const MESSAGE: Key[] = [...VALUE, 'messages', 0];

/** A fixture with the value at `path` replaced (or deleted), for malformed variants. */
function mutate(name: string, path: Key[], value: unknown): unknown {
  const body = fixture(name);
  let target = body as Node;
  for (const key of path.slice(0, -1)) target = target[key] as Node;
  const last = path[path.length - 1];
  if (value === DELETE) delete target[last];
  else target[last] = value;
  return body;
}

function get(body: unknown, path: Key[]): unknown {
  let target = body;
  for (const key of path) target = (target as Node)[key];
  return target;
}

describe('parseWebhook: inbound messages', () => {
  it('normalises a text message with its routing and contact data', () => {
    expect(onlyMessage('message-text')).toEqual({
      kind: 'message',
      wabaId: WABA,
      phoneNumberId: PNID,
      displayPhoneNumber: '15550783881',
      wamid: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      from: '16505551234',
      waId: '16505551234',
      contactName: 'Sheena Nelson',
      timestamp: '1749416383',
      content: { type: 'text', text: 'Does it come in another color?' },
    });
  });

  it.each([
    [
      'message-image',
      {
        type: 'image',
        media: {
          id: '1003383421387256',
          mimeType: 'image/jpeg',
          sha256: 'SfInY0gGDWBbDmHbNfIKxnJ3DrfCbwhd9fAGxsvIc2M=',
          caption: 'Cool shirt',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256',
        },
      },
    ],
    [
      'message-video',
      {
        type: 'video',
        media: {
          id: '1166846181421424',
          mimeType: 'video/mp4',
          sha256: 'aGVsbG8=',
          caption: 'Look',
        },
      },
    ],
    [
      'message-document',
      {
        type: 'document',
        media: {
          id: '1003383421387257',
          mimeType: 'application/pdf',
          sha256: 'Z2VsbG8=',
          caption: 'Invoice',
          filename: 'invoice-1234.pdf',
        },
      },
    ],
    [
      'message-audio-voice',
      {
        type: 'audio',
        media: {
          id: '1003383421387258',
          mimeType: 'audio/ogg; codecs=opus',
          sha256: 'YXVkaW8=',
          voice: true,
        },
      },
    ],
    [
      'message-sticker',
      {
        type: 'sticker',
        media: {
          id: '1003383421387259',
          mimeType: 'image/webp',
          sha256: 'c3RpY2tlcg==',
          animated: false,
        },
      },
    ],
    [
      'message-location',
      {
        type: 'location',
        location: {
          latitude: 37.4848,
          longitude: -122.1484,
          name: 'Philz Coffee',
          address: '101 Forest Ave, Palo Alto, CA 94301',
        },
      },
    ],
    [
      'message-contacts',
      {
        type: 'contacts',
        contacts: [
          {
            name: {
              formattedName: 'Barbara J. Johnson',
              firstName: 'Barbara',
              lastName: 'Johnson',
            },
            phones: [{ phone: '+1 (940) 555-1234', waId: '19405551234', type: 'HOME' }],
            emails: [{ email: 'bjohnson@example.com', type: 'WORK' }],
            org: { company: 'Lucky Shrub', title: 'Manager' },
            urls: [{ url: 'https://www.luckyshrub.com', type: 'WORK' }],
            birthday: '1999-01-23',
          },
        ],
      },
    ],
    [
      'message-interactive-button-reply',
      {
        type: 'interactive',
        interactive: { type: 'button_reply', id: 'cancel-button', title: 'Cancel' },
      },
    ],
    [
      'message-interactive-list-reply',
      {
        type: 'interactive',
        interactive: {
          type: 'list_reply',
          id: 'priority_express',
          title: 'Express Shipping',
          description: 'Next Day to 2 Days',
        },
      },
    ],
    ['message-button', { type: 'button', button: { text: 'Track my order', payload: 'TRACK' } }],
    [
      'message-reaction',
      {
        type: 'reaction',
        reaction: {
          messageId: 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI3NTI4MkNDRjg4MkI5QTk1QjMA',
          emoji: '👍',
        },
      },
    ],
    [
      'message-reaction-removed',
      {
        type: 'reaction',
        reaction: { messageId: 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI3NTI4MkNDRjg4MkI5QTk1QjMA' },
      },
    ],
    [
      'message-order',
      {
        type: 'order',
        order: {
          catalogId: '544836921484731',
          text: 'Please hurry',
          items: [{ productRetailerId: 'di9ozbzfi4', quantity: 2, itemPrice: 30, currency: 'USD' }],
        },
      },
    ],
    [
      'message-system',
      {
        type: 'system',
        system: {
          body: 'User A changed from 16505551234 to 16505554321',
          type: 'customer_changed_number',
          waId: '16505554321',
        },
      },
    ],
  ])('parses %s', (name, content) => {
    expect(onlyMessage(name).content).toEqual(content);
  });

  it('keeps the reply context of a button tap and of a quoted, forwarded message', () => {
    expect(onlyMessage('message-interactive-button-reply').context).toEqual({
      from: '15550783881',
      id: 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI3NTI4MkNDRjg4MkI5QTk1QjEA',
    });
    expect(onlyMessage('message-button').context?.id).toBe('wamid.HBgLTEMPLATE');
    expect(onlyMessage('message-reply-forwarded').context).toEqual({
      from: '15550783881',
      id: 'wamid.HBgLQUOTED',
      forwarded: true,
    });
  });

  it('reads an smb_message_echoes change as an echo to the customer (sent from the WhatsApp Business app)', () => {
    const body = WEBHOOK_KINDS.messageEcho(
      { phoneNumberId: '106540352241111', wabaId: '2' },
      '34610000001',
      'Te lo envío mañana',
    );
    const result = parseWebhook(JSON.stringify(body));
    expect(result.ok && result.events).toEqual([
      expect.objectContaining({
        kind: 'echo',
        phoneNumberId: '106540352241111',
        to: '34610000001',
        content: { type: 'text', text: 'Te lo envío mañana' },
      }),
    ]);
  });

  it('reads a click-to-WhatsApp referral into typed ad data', () => {
    expect(onlyMessage('message-referral').referral).toMatchObject({
      sourceType: 'ad',
      ctwaClid: 'ARAkLkA8rmlFeiCktEJQ',
    });
    const event = parseWebhook(
      JSON.stringify(
        WEBHOOK_KINDS.adReferral({ phoneNumberId: '1', wabaId: '2' }, '15551230000', 'Hola'),
      ),
    );
    expect(event.ok && event.events[0]).toMatchObject({
      kind: 'message',
      content: { type: 'text', text: 'Hola' },
      referral: {
        sourceUrl: 'https://fb.me/ad',
        sourceId: '120200000000000',
        sourceType: 'ad',
        headline: 'Oferta de invierno',
        body: 'Escríbenos por WhatsApp',
        mediaType: 'image',
        imageUrl: 'https://example.com/ad.jpg',
        ctwaClid: 'ARAkLkA8rmlFeiCktEJQ',
      },
    });
  });

  it('reports Meta’s unsupported type with its original type, errors and raw object', () => {
    const event = onlyMessage('message-unsupported');
    expect(event.content).toMatchObject({ type: 'unsupported', originalType: 'edit' });
    expect(event.errors).toEqual([
      {
        code: 131051,
        title: 'Message type unknown',
        message: 'Message type unknown',
        details: 'Message type is currently not supported.',
        errorType: 'INVALID_REQUEST',
        retryable: false,
      },
    ]);
  });

  it('turns a type this library does not know into unsupported, keeping the raw message', () => {
    const event = onlyMessage('message-unknown-type');
    expect(event.content).toEqual({
      type: 'unsupported',
      originalType: 'poll_vote_2030',
      raw: expect.objectContaining({ poll_vote_2030: { question_id: 'q1', choice: { id: 'c2' } } }),
    });
  });

  it('accepts a sender without a phone (username users) and without contacts', () => {
    const body = mutate('message-text', [...VALUE, 'contacts'], DELETE);
    const message = get(body, MESSAGE) as Node;
    delete message.from;
    message.from_user_id = 'US.13491208655302741918';
    const [event] = events(body) as InboundMessageEvent[];
    expect(event.from).toBeUndefined();
    expect(event.fromUserId).toBe('US.13491208655302741918');
    expect(event.contactName).toBeUndefined();
  });

  it('reads the BSUID and username of contacts[] (Meta, 2026) for a sender without a phone', () => {
    const body = mutate(
      'message-text',
      [...VALUE, 'contacts'],
      [{ profile: { name: 'Lu', username: '@lu.shop' }, user_id: 'US.13491208655302741918' }],
    );
    const message = get(body, MESSAGE) as Node;
    delete message.from;
    const [event] = events(body) as InboundMessageEvent[];
    expect(event).toMatchObject({
      fromUserId: 'US.13491208655302741918',
      username: '@lu.shop',
      contactName: 'Lu',
    });
    expect(event.from).toBeUndefined();
    expect(event.waId).toBeUndefined();
  });

  it('reads the new number of a user_changed_number system message', () => {
    const body = mutate('message-text', [...VALUE, 'messages', 0], {
      from: '16505551234',
      id: 'wamid.SYS',
      timestamp: '1750000000',
      type: 'system',
      system: {
        body: 'User A changed from 16505551234 to 16505559999',
        type: 'user_changed_number',
        wa_id: '16505559999',
      },
    });
    const [event] = events(body) as InboundMessageEvent[];
    expect(event.content).toEqual({
      type: 'system',
      system: {
        body: 'User A changed from 16505551234 to 16505559999',
        type: 'user_changed_number',
        waId: '16505559999',
      },
    });
  });
});

describe('parseWebhook: statuses and errors', () => {
  it('parses a sent status with pricing, conversation and callback data', () => {
    expect(onlyStatus('status-sent-pricing')).toEqual({
      kind: 'status',
      wabaId: WABA,
      phoneNumberId: PNID,
      displayPhoneNumber: '15550783881',
      wamid: 'wamid.HBgLSENT',
      status: 'sent',
      timestamp: '1750030073',
      recipientId: '16505551234',
      bizOpaqueCallbackData: 'order-123',
      conversation: {
        id: '72b14d8c8a4a4c3f9a1f1a5d4a0d8e0f',
        expirationTimestamp: '1750116480',
        originType: 'marketing',
      },
      pricing: { billable: true, pricingModel: 'PMP', type: 'regular', category: 'marketing' },
      errors: [],
    });
    expect(onlyStatus('status-read')).toMatchObject({ status: 'read', errors: [] });
  });

  it('classifies the errors of a failed status', () => {
    const status = onlyStatus('status-failed');
    expect(status.status).toBe('failed');
    expect(status.errors).toEqual([
      expect.objectContaining({
        code: 131047,
        title: 'Re-engagement message',
        errorType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
        retryable: false,
        href: '/documentation/business-messaging/whatsapp/support/error-codes',
      }),
    ]);
  });

  it('emits one error event per value-level error', () => {
    expect(events(fixture('value-errors'))).toEqual([
      {
        kind: 'error',
        wabaId: WABA,
        phoneNumberId: PNID,
        displayPhoneNumber: '15550783881',
        error: expect.objectContaining({
          code: 130429,
          errorType: 'RATE_LIMIT_EXCEEDED',
          retryable: true,
        }),
      },
    ]);
  });

  it('yields nothing, and no error, for fields it does not handle', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA,
          time: 1750030100,
          changes: [
            {
              field: 'business_capability_update',
              value: { max_daily_conversation_per_phone: 1000 },
            },
            { field: 'history', value: { messaging_product: 'whatsapp', history: [] } },
          ],
        },
      ],
    };
    expect(parseWebhook(body)).toEqual({ ok: true, events: [] });
  });

  it('yields every event of a batched payload, each with its own routing', () => {
    const all = events(fixture('batched'));
    expect(
      all.map((e) => [
        e.kind,
        e.wabaId,
        e.phoneNumberId,
        e.kind === 'error' || e.kind === 'notice' ? '' : e.wamid,
      ]),
    ).toEqual([
      ['message', WABA, PNID, 'wamid.A1'],
      ['message', WABA, PNID, 'wamid.A2'],
      ['status', WABA, PNID, 'wamid.S1'],
      ['status', WABA, '106540352242999', 'wamid.S2'],
      ['status', WABA, '106540352242999', 'wamid.S3'],
      ['message', '300000000000001', '200000000000001', 'wamid.B1'],
    ]);
    const [a1, a2] = all as InboundMessageEvent[];
    expect([a1.contactName, a2.contactName]).toEqual(['Sheena Nelson', 'Other Person']);
    expect(extractWebhookIds(fixture('batched')).phoneNumberIds).toEqual([
      PNID,
      '106540352242999',
      '200000000000001',
    ]);
  });

  it('parses what the fixture builders produce', () => {
    const inbound = buildInboundTextWebhook({
      wabaId: WABA,
      phoneNumberId: PNID,
      from: '34600000001',
      text: 'hola',
      replyTo: 'wamid.X',
    });
    const status = buildStatusWebhook({
      wabaId: WABA,
      phoneNumberId: PNID,
      wamid: 'wamid.Y',
      status: 'failed',
      recipientId: '34600000001',
      errors: [{ code: 131026 }],
    });
    expect(events(inbound)[0]).toMatchObject({
      content: { text: 'hola' },
      context: { id: 'wamid.X' },
    });
    expect(events(status)[0]).toMatchObject({
      status: 'failed',
      errors: [{ code: 131026, errorType: 'RECIPIENT_UNAVAILABLE' }],
    });
  });
});

describe('parseWebhook: malformed payloads', () => {
  const many = (n: number, item: unknown) => Array.from({ length: n }, () => item);

  it.each([
    ['not an object', 'hello', 'INVALID_JSON', '$'],
    ['an array', [], 'INVALID_SHAPE', '$'],
    ['null', null, 'INVALID_SHAPE', '$'],
    ['no object type', { entry: [] }, 'UNEXPECTED_OBJECT', '$.object'],
    [
      'entry not an array',
      { object: 'whatsapp_business_account', entry: {} },
      'INVALID_SHAPE',
      '$.entry',
    ],
    [
      'an entry without id',
      mutate('message-text', ['entry', 0, 'id'], DELETE),
      'INVALID_SHAPE',
      '$.entry[0].id',
    ],
    [
      'a message without id',
      mutate('message-text', [...MESSAGE, 'id'], DELETE),
      'INVALID_SHAPE',
      '$.entry[0].changes[0].value.messages[0].id',
    ],
    [
      'a text body of the wrong type',
      mutate('message-text', [...MESSAGE, 'text', 'body'], 42),
      'INVALID_SHAPE',
      '$.entry[0].changes[0].value.messages[0].text.body',
    ],
    [
      'a message without phone_number_id',
      mutate('message-text', [...VALUE, 'metadata', 'phone_number_id'], DELETE),
      'INVALID_SHAPE',
      '$.entry[0].changes[0].value.metadata.phone_number_id',
    ],
    [
      'statuses that are not an array',
      mutate('status-read', [...VALUE, 'statuses'], { id: 'x' }),
      'INVALID_SHAPE',
      '$.entry[0].changes[0].value.statuses',
    ],
    [
      'a failed status error without code',
      mutate('status-failed', [...VALUE, 'statuses', 0, 'errors', 0, 'code'], DELETE),
      'INVALID_SHAPE',
      '$.entry[0].changes[0].value.statuses[0].errors[0].code',
    ],
    [
      'an image without id',
      mutate('message-image', [...MESSAGE, 'image', 'id'], DELETE),
      'INVALID_SHAPE',
      '$.entry[0].changes[0].value.messages[0].image.id',
    ],
    [
      'a location without latitude',
      mutate('message-location', [...MESSAGE, 'location', 'latitude'], DELETE),
      'INVALID_SHAPE',
      '$.entry[0].changes[0].value.messages[0].location',
    ],
    [
      'too many entries',
      {
        object: 'whatsapp_business_account',
        entry: many(MAX_WEBHOOK_ARRAY + 1, { id: '1', changes: [] }),
      },
      'TOO_LARGE',
      '$.entry',
    ],
    [
      'too many messages',
      mutate(
        'message-text',
        [...VALUE, 'messages'],
        many(MAX_WEBHOOK_ARRAY + 1, get(fixture('message-text'), MESSAGE)),
      ),
      'TOO_LARGE',
      '$.entry[0].changes[0].value.messages',
    ],
  ])('rejects %s with a typed error', (_name, body, code, path) => {
    const result = parseWebhook(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(WebhookValidationError);
    expect(result.error).toMatchObject({ code, path });
    expect(JSON.parse(JSON.stringify(result.error))).toMatchObject({ code, path });
  });

  it('rejects a deeply nested unknown message instead of walking it', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 5000; i++) deep = { d: deep };
    const body = mutate('message-unknown-type', [...MESSAGE, 'poll_vote_2030'], deep);
    const result = parseWebhook(body);
    expect(result).toMatchObject({ ok: false, error: { code: 'TOO_DEEP' } });
  });

  it('parses a raw Buffer body and rejects invalid JSON in one', () => {
    expect(events(Buffer.from(JSON.stringify(fixture('message-text'))))).toHaveLength(1);
    expect(parseWebhook(Buffer.from('{"object":'))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_JSON' },
    });
  });

  it('property: never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const result = parseWebhook(value);
        expect(typeof result.ok).toBe('boolean');
        expect(() => extractWebhookIds(value)).not.toThrow();
      }),
    );
  });

  it('property: never throws on random mutations of real payloads', () => {
    const base = fixture('batched');
    const leafPaths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          walk(child, [...path, Array.isArray(v) ? Number(k) : k]);
        }
      }
      leafPaths.push(path);
    };
    walk(base, []);
    fc.assert(
      fc.property(
        fc.constantFrom(...leafPaths.filter((p) => p.length > 0)),
        fc.jsonValue({ maxDepth: 2 }),
        (path, replacement) => {
          const copy = JSON.parse(JSON.stringify(base)) as Record<string | number, unknown>;
          let target: Record<string | number, unknown> = copy;
          for (const key of path.slice(0, -1))
            target = target[key] as Record<string | number, unknown>;
          target[path[path.length - 1]] = replacement;
          const result = parseWebhook(copy);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
    );
  });
});

describe('extractWebhookIds', () => {
  it('reads ids from a raw body and tolerates garbage', () => {
    expect(extractWebhookIds(Buffer.from(JSON.stringify(fixture('message-text'))))).toEqual({
      wabaIds: [WABA],
      phoneNumberIds: [PNID],
    });
    const none = { wabaIds: [], phoneNumberIds: [] };
    expect(extractWebhookIds('not json')).toEqual(none);
    expect(extractWebhookIds({ entry: [{ changes: [{ value: null }] }, 7] })).toEqual(none);
    expect(extractWebhookIds(undefined)).toEqual(none);
  });

  it('reads the WABA id of changes that carry no phone number id (template, account, quality)', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: WABA,
          time: 1750000000,
          changes: [
            {
              field: 'message_template_status_update',
              value: { event: 'APPROVED', message_template_id: 1, message_template_name: 'x' },
            },
          ],
        },
      ],
    };
    expect(extractWebhookIds(body)).toEqual({ wabaIds: [WABA], phoneNumberIds: [] });
  });
});

/** One change of a management field as Meta documents it (entry.time in unix seconds). */
function management(field: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: WABA, time: 1739321024, changes: [{ value, field }] }],
  };
}

function onlyNotice(body: unknown) {
  const [event, ...rest] = events(body);
  expect(rest).toHaveLength(0);
  if (event.kind !== 'notice') throw new Error(`expected a notice, got ${event.kind}`);
  expect(event.wabaId).toBe(WABA);
  expect(event.time).toBe('1739321024');
  return event.notice;
}

describe('parseWebhook: management fields (Meta reference shapes)', () => {
  it('message_template_status_update: a rejection with its category and rejection_info', () => {
    const notice = onlyNotice(
      management('message_template_status_update', {
        event: 'REJECTED',
        message_template_id: 1689556908129835,
        message_template_name: 'abandoned_cart',
        message_template_language: 'en',
        reason: 'INVALID_FORMAT',
        message_template_category: 'MARKETING',
        rejection_info: {
          reason: 'Variable parameters are not properly formatted.',
          recommendation: 'Use {{1}} style parameters.',
        },
      }),
    );
    expect(notice).toEqual({
      field: 'message_template_status_update',
      event: 'REJECTED',
      templateId: '1689556908129835',
      templateName: 'abandoned_cart',
      language: 'en',
      reason: 'INVALID_FORMAT',
      category: 'MARKETING',
      rejectionDetail: 'Variable parameters are not properly formatted.',
      recommendation: 'Use {{1}} style parameters.',
    });
  });

  it('message_template_status_update: a pause with other_info and a disable with disable_info', () => {
    const paused = onlyNotice(
      management('message_template_status_update', {
        event: 'PAUSED',
        message_template_id: 1689556908129832,
        message_template_name: 'order_confirmation',
        message_template_language: 'en-US',
        reason: 'NONE',
        other_info: {
          title: 'FIRST_PAUSE',
          description: 'Your WhatsApp message template has been paused for 3 hours.',
        },
      }),
    );
    expect(paused).toMatchObject({
      event: 'PAUSED',
      reason: 'NONE',
      title: 'FIRST_PAUSE',
      description: 'Your WhatsApp message template has been paused for 3 hours.',
    });
    const disabled = onlyNotice(
      management('message_template_status_update', {
        event: 'DISABLED',
        message_template_id: 1,
        message_template_name: 'x',
        message_template_language: 'es',
        reason: null,
        disable_info: { disable_date: 1751234563 },
      }),
    );
    expect(disabled).toMatchObject({ event: 'DISABLED', disabledAt: '1751234563' });
    expect(disabled).not.toHaveProperty('reason');
  });

  it('template_category_update: a category applied now, and one announced ahead (correct_category)', () => {
    expect(
      onlyNotice(
        management('template_category_update', {
          message_template_id: 1689556908129835,
          message_template_name: 'order_update',
          message_template_language: 'es',
          previous_category: 'UTILITY',
          new_category: 'MARKETING',
        }),
      ),
    ).toEqual({
      field: 'template_category_update',
      templateId: '1689556908129835',
      templateName: 'order_update',
      language: 'es',
      previousCategory: 'UTILITY',
      newCategory: 'MARKETING',
    });
    const ahead = onlyNotice(
      management('template_category_update', {
        message_template_id: 1,
        message_template_name: 'x',
        message_template_language: 'es',
        previous_category: 'UTILITY',
        correct_category: 'MARKETING',
      }),
    );
    expect(ahead).toMatchObject({ correctCategory: 'MARKETING' });
    expect(ahead).not.toHaveProperty('newCategory');
  });

  it('account_update: a restriction with restriction_info, a ban with ban_info, a violation', () => {
    expect(
      onlyNotice(
        management('account_update', {
          event: 'ACCOUNT_RESTRICTION',
          restriction_info: [
            {
              restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING',
              expiration: '2026-04-19T13:59:20+0000',
            },
            { restriction_type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiration: 1776607160 },
          ],
        }),
      ),
    ).toEqual({
      field: 'account_update',
      event: 'ACCOUNT_RESTRICTION',
      restrictions: [
        { type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: '2026-04-19T13:59:20+0000' },
        { type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiration: '1776607160' },
      ],
    });
    expect(
      onlyNotice(
        management('account_update', {
          event: 'DISABLED_UPDATE',
          ban_info: { waba_ban_state: 'DISABLE', waba_ban_date: 'October 9, 2023' },
        }),
      ),
    ).toEqual({
      field: 'account_update',
      event: 'DISABLED_UPDATE',
      restrictions: [],
      banState: 'DISABLE',
      banDate: 'October 9, 2023',
    });
    expect(
      onlyNotice(
        management('account_update', {
          event: 'ACCOUNT_VIOLATION',
          violation_info: { violation_type: 'SCAM' },
        }),
      ),
    ).toMatchObject({ event: 'ACCOUNT_VIOLATION', violationType: 'SCAM' });
  });

  it('account_update: partner-led business verification and events it does not model', () => {
    expect(
      onlyNotice(
        management('account_update', {
          event: 'PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE',
          partner_client_certification_info: {
            client_business_id: '1234',
            status: 'REJECTED',
            rejection_reasons: ['LEGAL_NAME_NOT_FOUND_IN_DOCUMENTS'],
          },
        }),
      ),
    ).toMatchObject({
      verificationStatus: 'REJECTED',
      verificationRejections: ['LEGAL_NAME_NOT_FOUND_IN_DOCUMENTS'],
    });
    expect(
      onlyNotice(
        management('account_update', {
          event: 'PARTNER_ADDED',
          waba_info: { waba_id: WABA, owner_business_id: '1234' },
        }),
      ),
    ).toEqual({ field: 'account_update', event: 'PARTNER_ADDED', restrictions: [] });
  });

  it('phone_number_quality_update: the portfolio limit wins over the deprecated current_limit', () => {
    expect(
      onlyNotice(
        management('phone_number_quality_update', {
          display_phone_number: '15550783881',
          event: 'UPGRADE',
          old_limit: 'TIER_250',
          current_limit: 'TIER_1K',
          max_daily_conversations_per_business: 'TIER_2K',
        }),
      ),
    ).toEqual({
      field: 'phone_number_quality_update',
      event: 'UPGRADE',
      displayPhoneNumber: '15550783881',
      limit: 'TIER_2K',
      oldLimit: 'TIER_250',
    });
    expect(
      onlyNotice(
        management('phone_number_quality_update', {
          display_phone_number: '15550783881',
          event: 'THROUGHPUT_UPGRADE',
          current_limit: 'TIER_UNLIMITED',
        }),
      ),
    ).toMatchObject({ event: 'THROUGHPUT_UPGRADE', limit: 'TIER_UNLIMITED' });
  });

  it('account_alerts: severity, status, type and Meta description', () => {
    expect(
      onlyNotice(
        management('account_alerts', {
          entity_type: 'PHONE_NUMBER',
          entity_id: PNID,
          alert_info: {
            alert_severity: 'CRITICAL',
            alert_status: 'ACTIVE',
            alert_type: 'OBA_REJECTED',
            alert_description: 'Your request for an official business account was rejected.',
          },
        }),
      ),
    ).toEqual({
      field: 'account_alerts',
      entityType: 'PHONE_NUMBER',
      entityId: PNID,
      severity: 'CRITICAL',
      status: 'ACTIVE',
      alertType: 'OBA_REJECTED',
      description: 'Your request for an official business account was rejected.',
    });
  });

  it('phone_number_name_update: a display-name decision (null reason when approved)', () => {
    expect(
      onlyNotice(
        management('phone_number_name_update', {
          display_phone_number: '15550783881',
          decision: 'APPROVED',
          requested_verified_name: 'Lucky Shrub',
          rejection_reason: null,
        }),
      ),
    ).toEqual({
      field: 'phone_number_name_update',
      decision: 'APPROVED',
      displayPhoneNumber: '15550783881',
      requestedName: 'Lucky Shrub',
    });
  });

  it('never fails a batch for odd values in a management change: unknown codes kept, wrong types dropped', () => {
    const notice = onlyNotice(
      management('account_update', {
        event: 'SOMETHING_NEW_IN_2027',
        restriction_info: [{ restriction_type: 42 }, 'x', { expiration: { nested: true } }],
        ban_info: 'not an object',
      }),
    );
    expect(notice).toEqual({
      field: 'account_update',
      event: 'SOMETHING_NEW_IN_2027',
      restrictions: [{ type: '42' }, { type: 'UNKNOWN' }],
    });
    expect(onlyNotice(management('phone_number_quality_update', {}))).toEqual({
      field: 'phone_number_quality_update',
      event: 'UNKNOWN',
    });
    expect(parseWebhook(management('account_alerts', { alert_info: [] })).ok).toBe(true);
  });

  it('parses what the fixture builders send for every management kind', () => {
    for (const body of [
      WEBHOOK_KINDS.templateStatus(WABA),
      WEBHOOK_KINDS.accountUpdate(WABA),
      WEBHOOK_KINDS.accountUpdate(WABA, { banState: 'DISABLE' }),
      WEBHOOK_KINDS.qualityUpdate(WABA),
      WEBHOOK_KINDS.accountAlert(WABA),
      WEBHOOK_KINDS.nameUpdate(WABA),
    ]) {
      const [event] = events(body);
      expect(event?.kind).toBe('notice');
    }
  });
});

describe('parseWebhook: other Meta products', () => {
  it('acknowledges a signed body for another object type with no events, naming the object', () => {
    const result = parseWebhook({ object: 'page', entry: [{ id: '1', changes: [] }] });
    expect(result).toEqual({ ok: true, events: [], ignoredObject: 'page' });
  });
});
