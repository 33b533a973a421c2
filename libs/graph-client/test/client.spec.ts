import axios from 'axios';
import {
  DEFAULT_GRAPH_API_VERSION,
  GRAPH_API_VERSIONS,
  GraphApiError,
  type GraphRequestEvent,
  metaWordsOf,
  type OutboundMessage,
  WhatsAppGraphClient,
} from '@conecta/graph-client';
import type { FakeGraphApi } from '@conecta/graph-client/testing';
import {
  EXPIRED_TOKEN,
  MANAGEMENT_ONLY_TOKEN,
  MESSAGING_ONLY_TOKEN,
  OTHER_PHONE_ID,
  OTHER_WABA_ID,
  PHONE_ID,
  SECOND_PHONE_ID,
  TOKEN,
  WABA_ID,
  makeClient,
  rejection,
  startFake,
} from './helpers';

let fake: FakeGraphApi;
let baseUrl: string;

beforeAll(async () => {
  ({ fake, baseUrl } = await startFake());
  // The fake checks template sends against the WABA's templates, as Meta does.
  fake.addTemplates(WABA_ID, [
    {
      id: '700000000000001',
      name: 'order_update',
      language: 'es',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está en camino.' },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Seguir' }] },
      ],
    },
  ]);
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

async function graphError(promise: Promise<unknown>): Promise<GraphApiError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(GraphApiError);
  return error as GraphApiError;
}

describe('WhatsAppGraphClient: calls', () => {
  it.each(GRAPH_API_VERSIONS)('works against the fake with Graph API %s', async (apiVersion) => {
    const phone = await makeClient(baseUrl, { apiVersion }).getPhoneNumber(PHONE_ID);
    expect(phone.id).toBe(PHONE_ID);
    expect(fake.requests.at(-1)?.path).toBe(`/${apiVersion}/${PHONE_ID}`);
  });

  it('defaults to the newest tested Graph API version, v26.0', () => {
    expect(DEFAULT_GRAPH_API_VERSION).toBe('v26.0');
    expect(GRAPH_API_VERSIONS.at(-1)).toBe(DEFAULT_GRAPH_API_VERSION);
    expect(makeClient(baseUrl).apiVersion).toBe('v26.0');
  });

  it('is refused by the fake with a version it is not tested against', async () => {
    const error = await rejection(
      makeClient(baseUrl, { apiVersion: 'v19.0' }).getPhoneNumber(PHONE_ID),
    );
    expect(error).toMatchObject({ code: 2500 });
  });

  it('reads a phone number with Meta’s default field list, the token in the header only', async () => {
    const phone = await makeClient(baseUrl).getPhoneNumber(PHONE_ID);
    expect(phone).toEqual({
      id: PHONE_ID,
      displayPhoneNumber: '+1 555-078-3881',
      verifiedName: 'Lucky Shrub',
      codeVerificationStatus: 'VERIFIED',
      qualityRating: 'GREEN',
      platformType: 'CLOUD_API',
      throughputLevel: 'STANDARD',
      status: 'CONNECTED',
      nameStatus: 'APPROVED',
    });
    const [request] = fake.requests;
    expect(request.path).toBe(`/v26.0/${PHONE_ID}`);
    expect(request.query.fields).toBe(
      'id,display_phone_number,verified_name,code_verification_status,quality_rating,platform_type,throughput,status,name_status',
    );
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.query.access_token).toBeUndefined();
  });

  it('asks only for the requested fields and honours the configured API version', async () => {
    const client = makeClient(baseUrl, { apiVersion: 'v25.0' });
    const phone = await client.getPhoneNumber(SECOND_PHONE_ID, [
      'id',
      'quality_rating',
      'whatsapp_business_manager_messaging_limit',
      'webhook_configuration',
    ]);
    expect(phone).toEqual({
      id: SECOND_PHONE_ID,
      qualityRating: 'YELLOW',
      messagingLimitTier: 'TIER_250',
      webhookConfiguration: { application: 'https://example.invalid/webhooks/whatsapp' },
    });
    expect(fake.requests[0].path).toBe(`/v25.0/${SECOND_PHONE_ID}`);
  });

  it('reads the business account', async () => {
    const waba = await makeClient(baseUrl).getBusinessAccount(WABA_ID);
    expect(waba).toMatchObject({
      id: WABA_ID,
      name: 'Lucky Shrub',
      status: 'ACTIVE',
      businessVerificationStatus: 'verified',
      messageTemplateNamespace: `ns_${WABA_ID}`,
    });
  });

  it('lists the WABA’s phone numbers page by page, without the other WABA’s numbers', async () => {
    const client = makeClient(baseUrl);
    const first = await client.listPhoneNumbers(WABA_ID, { limit: 1 });
    expect(first.data.map((p) => p.id)).toEqual([PHONE_ID]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.listPhoneNumbers(WABA_ID, { limit: 1, after: first.nextCursor });
    expect(second.data.map((p) => p.id)).toEqual([SECOND_PHONE_ID]);
    expect(second.nextCursor).toBeUndefined();
    const all = await client.listPhoneNumbers(WABA_ID);
    expect(all.data.map((p) => p.id)).toEqual([PHONE_ID, SECOND_PHONE_ID]);
    expect(all.data.map((p) => p.id)).not.toContain(OTHER_PHONE_ID);
  });

  it('subscribes, overrides, reads and unsubscribes the app', async () => {
    const client = makeClient(baseUrl);
    await expect(client.getSubscribedApps(WABA_ID)).resolves.toEqual([]);
    await expect(client.subscribeApp(WABA_ID)).resolves.toEqual({ success: true });
    expect(fake.requests.at(-1)?.rawBody.length).toBe(0);
    await expect(client.getSubscribedApps(WABA_ID)).resolves.toEqual([
      { appId: fake.appId, name: 'Conecta', link: expect.stringContaining(fake.appId) },
    ]);
    await client.subscribeApp(WABA_ID, {
      callbackUri: 'https://conecta.example/wa/tenant-1',
      verifyToken: 'vt',
    });
    expect(fake.requests.at(-1)?.body).toEqual({
      override_callback_uri: 'https://conecta.example/wa/tenant-1',
      verify_token: 'vt',
    });
    const [app] = await client.getSubscribedApps(WABA_ID);
    expect(app.overrideCallbackUri).toBe('https://conecta.example/wa/tenant-1');
    await expect(client.unsubscribeApp(WABA_ID)).resolves.toEqual({ success: true });
    expect(fake.requests.at(-1)?.method).toBe('DELETE');
    await expect(client.getSubscribedApps(WABA_ID)).resolves.toEqual([]);
  });

  it('sends a text with preview_url and a reply context, and returns wamid, waId and input', async () => {
    const result = await makeClient(baseUrl).sendText(PHONE_ID, '+1 (650) 555-1234', 'Hola 👋', {
      previewUrl: true,
      replyTo: 'wamid.QUOTED',
    });
    expect(result).toEqual({
      wamid: expect.stringMatching(/^wamid\./),
      waId: '16505551234',
      input: '+1 (650) 555-1234',
    });
    const [sent] = fake.sentMessages();
    expect(sent.wamid).toBe(result.wamid);
    expect(sent.payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+1 (650) 555-1234',
      type: 'text',
      text: { body: 'Hola 👋', preview_url: true },
      context: { message_id: 'wamid.QUOTED' },
    });
  });

  const outbound: [string, OutboundMessage][] = [
    [
      'image by id with caption',
      { to: '+34600000001', type: 'image', image: { id: '1037543291543636', caption: 'Mira' } },
    ],
    [
      'document by link with filename',
      {
        to: '+34600000001',
        type: 'document',
        document: { link: 'https://example.com/f.pdf', filename: 'f.pdf', caption: 'Factura' },
      },
    ],
    ['audio (voice note)', { to: '+34600000001', type: 'audio', audio: { id: '77', voice: true } }],
    [
      'video by link',
      { to: '+34600000001', type: 'video', video: { link: 'https://e.com/v.mp4' } },
    ],
    ['sticker', { to: '+34600000001', type: 'sticker', sticker: { id: '88' } }],
    [
      'template with components',
      {
        to: '+34600000001',
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'es', policy: 'deterministic' },
          components: [
            { type: 'header', parameters: [{ type: 'image', image: { id: '1037543291543636' } }] },
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Pablo' },
                { type: 'text', text: '#1234' },
              ],
            },
            {
              type: 'button',
              sub_type: 'quick_reply',
              index: '0',
              parameters: [{ type: 'payload', payload: 'TRACK' }],
            },
          ],
        },
      },
    ],
    [
      'interactive buttons',
      {
        to: '+34600000001',
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: '¿Confirmas?' },
          footer: { text: 'Conecta' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'yes', title: 'Sí' } },
              { type: 'reply', reply: { id: 'no', title: 'No' } },
            ],
          },
        },
      },
    ],
    [
      'interactive list',
      {
        to: '+34600000001',
        type: 'interactive',
        interactive: {
          type: 'list',
          header: { type: 'text', text: 'Envío' },
          body: { text: 'Elige el envío' },
          action: {
            button: 'Opciones',
            sections: [
              {
                title: 'Rápido',
                rows: [{ id: 'express', title: 'Express', description: 'Mañana' }],
              },
            ],
          },
        },
      },
    ],
    [
      'reaction',
      {
        to: '+34600000001',
        type: 'reaction',
        reaction: { message_id: 'wamid.IN', emoji: '👍' },
      },
    ],
  ];

  it.each(outbound)('sends %s exactly as Meta documents it', async (_name, message) => {
    const result = await makeClient(baseUrl).sendMessage(PHONE_ID, message);
    const [sent] = fake.sentMessages();
    expect(sent.wamid).toBe(result.wamid);
    expect(sent.payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...message,
    });
  });

  it('rejects a message that breaks Meta’s limits before any request', async () => {
    const error = await graphError(
      makeClient(baseUrl).sendMessage(PHONE_ID, {
        to: '+34600000001',
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'x' },
          action: {
            buttons: ['a', 'b', 'c', 'd'].map((id) => ({
              type: 'reply' as const,
              reply: { id, title: id },
            })),
          },
        },
      }),
    );
    expect(error.errorType).toBe('INVALID_REQUEST');
    expect(error.message).toContain('1 to 3 buttons');
    expect(fake.requests).toHaveLength(0);
  });

  it('clients of different tokens share the transport but each sends only its own token', async () => {
    const tokenOf = new Map<string, string>(
      [TOKEN, MESSAGING_ONLY_TOKEN].flatMap((token, t) =>
        [0, 1, 2].map((i) => [`wamid.T${t}N${i}`, token] as const),
      ),
    );
    // Interleaved, in flight together: a token left on the shared transport would leak here.
    await Promise.all(
      [...tokenOf].map(([wamid, accessToken]) =>
        makeClient(baseUrl, { accessToken }).markAsRead(PHONE_ID, wamid),
      ),
    );
    expect(fake.requests).toHaveLength(tokenOf.size);
    for (const request of fake.requests) {
      const wamid = (request.body as { message_id: string }).message_id;
      expect(request.headers.authorization).toBe(`Bearer ${tokenOf.get(wamid)}`);
    }
  });

  it('marks a message as read with the typing indicator', async () => {
    await expect(
      makeClient(baseUrl).markAsRead(PHONE_ID, 'wamid.IN1', { typing: true }),
    ).resolves.toEqual({ success: true });
    expect(fake.requests[0].body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.IN1',
      typing_indicator: { type: 'text' },
    });
    await makeClient(baseUrl).markAsRead(PHONE_ID, 'wamid.IN2');
    expect(fake.readReceipts).toEqual([
      { phoneNumberId: PHONE_ID, wamid: 'wamid.IN1', typing: true },
      { phoneNumberId: PHONE_ID, wamid: 'wamid.IN2', typing: false },
    ]);
  });

  it('uploads media, looks up its URL and downloads the same bytes', async () => {
    const client = makeClient(baseUrl);
    const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]);
    const { id } = await client.uploadMedia(PHONE_ID, {
      data,
      mimeType: 'image/png',
      filename: 'logo.png',
    });
    expect(id).toMatch(/^\d+$/);
    const upload = fake.requests[0];
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body).toMatchObject({
      fields: { messaging_product: 'whatsapp', type: 'image/png' },
      file: { filename: 'logo.png', contentType: 'image/png' },
    });

    const info = await client.getMediaUrl(id, { phoneNumberId: PHONE_ID });
    expect(info).toMatchObject({ id, mimeType: 'image/png', fileSize: data.length });
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    const media = await client.downloadMedia(info.url);
    expect(media.contentType).toBe('image/png');
    expect(media.data.equals(data)).toBe(true);
    expect(fake.requestsTo('media_download')[0].headers.authorization).toBe(`Bearer ${TOKEN}`);

    const byId = await client.downloadMediaById(id);
    expect(byId.data.equals(data)).toBe(true);
    expect(byId.mimeType).toBe('image/png');
  });

  it('fetches a fresh media URL once when the download answers 404', async () => {
    const id = fake.addMedia({
      phoneNumberId: PHONE_ID,
      data: Buffer.from('abc'),
      mimeType: 'audio/ogg',
    });
    fake.failNext('media_download', 1, { httpStatus: 404, message: 'Not Found' });
    const media = await makeClient(baseUrl).downloadMediaById(id);
    expect(media.data.toString()).toBe('abc');
    expect(fake.requestsTo('media')).toHaveLength(2);
  });

  it('a URL that expired at Meta answers 404; a forgotten media id is MEDIA_ERROR (100/33)', async () => {
    const client = makeClient(baseUrl);
    const data = Buffer.from('OggS-voice');
    const id = fake.addMedia({ phoneNumberId: PHONE_ID, data, mimeType: 'audio/ogg' });
    const { url } = await client.getMediaUrl(id);
    fake.expireMediaUrls();
    const expired = await graphError(client.downloadMedia(url));
    expect(expired.httpStatus).toBe(404);
    // A fresh URL works again (what downloadMediaById does on a 404).
    expect((await client.downloadMediaById(id)).data.equals(data)).toBe(true);
    fake.forgetMedia(id);
    const gone = await graphError(client.downloadMediaById(id));
    expect(gone).toMatchObject({ errorType: 'MEDIA_ERROR', code: 100, subcode: 33 });
    expect(fake.media(id)).toBeUndefined();
  });

  it('sends uploaded media by id: a document with caption and file name, audio without caption', async () => {
    const client = makeClient(baseUrl);
    await client.sendMedia(PHONE_ID, '+34600000001', {
      kind: 'document',
      id: '111',
      caption: 'Factura',
      filename: 'f.pdf',
    });
    await client.sendMedia(
      PHONE_ID,
      { userId: 'US.bsuid' },
      { kind: 'audio', id: '222', caption: 'x' },
    );
    const [doc, audio] = fake.sentMessages();
    expect(doc).toMatchObject({
      type: 'document',
      to: '+34600000001',
      payload: { document: { id: '111', caption: 'Factura', filename: 'f.pdf' } },
    });
    expect(audio).toMatchObject({
      type: 'audio',
      recipient: 'US.bsuid',
      payload: { audio: { id: '222' } },
    });
  });

  it('never sends the token to a host that is not Meta’s or the configured base URL', async () => {
    const client = makeClient(baseUrl);
    for (const url of ['https://evil.example.com/x', 'http://lookaside.fbsbx.com/x', 'nonsense']) {
      const error = await graphError(client.downloadMedia(url));
      expect(error.errorType).toBe('INVALID_REQUEST');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses ids that could escape the path', async () => {
    const error = await graphError(makeClient(baseUrl).getPhoneNumber('../me'));
    expect(error.errorType).toBe('INVALID_REQUEST');
    expect(fake.requests).toHaveLength(0);
  });

  it('reports every attempt to onRequest with a low-cardinality endpoint label', async () => {
    const events: GraphRequestEvent[] = [];
    const client = makeClient(baseUrl, { onRequest: (e) => events.push(e) });
    fake.failNext('messages', 1, { code: 130429 });
    await client.sendText(PHONE_ID, '+34600000001', 'hola');
    await client.getSubscribedApps(WABA_ID);
    expect(events.map(({ durationMs: _d, ...rest }) => rest)).toEqual([
      { endpoint: 'messages', method: 'POST', status: 400, attempt: 1, errorCode: 130429 },
      { endpoint: 'messages', method: 'POST', status: 200, attempt: 2 },
      { endpoint: 'subscribed_apps', method: 'GET', status: 200, attempt: 1 },
    ]);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  });

  it('keeps working when the onRequest hook throws', async () => {
    const client = makeClient(baseUrl, {
      onRequest: () => {
        throw new Error('metrics down');
      },
    });
    await expect(client.getPhoneNumber(PHONE_ID)).resolves.toMatchObject({ id: PHONE_ID });
  });
});

describe('WhatsAppGraphClient: recipients (phone or BSUID)', () => {
  it('sends to the phone with `to` when known, else to the BSUID with `recipient`', async () => {
    const client = makeClient(baseUrl);
    await client.sendText(PHONE_ID, { phone: '34600000001', userId: 'US.1' }, 'a');
    const bsuid = await client.sendText(PHONE_ID, { userId: 'US.13491208655302741918' }, 'b');
    const [toPhone, toUser] = fake.requestsTo('messages').map((r) => r.body);
    expect(toPhone).toMatchObject({ to: '+34600000001' });
    expect(toPhone).not.toHaveProperty('recipient');
    expect(toUser).toMatchObject({ recipient: 'US.13491208655302741918' });
    expect(toUser).not.toHaveProperty('to');
    expect(bsuid.userId).toBe('US.13491208655302741918');
  });

  it('classifies 131062 (BSUID recipient not supported) as a non-retried request error', async () => {
    fake.failNext('messages', 1, { code: 131062 });
    const error = await rejection(makeClient(baseUrl).sendText(PHONE_ID, { userId: 'US.1' }, 'x'));
    expect(error).toMatchObject({ code: 131062, errorType: 'INVALID_REQUEST', retryable: false });
    expect(fake.requestsTo('messages')).toHaveLength(1);
  });
});

describe('WhatsAppGraphClient: error families', () => {
  it('maps an unknown token to INVALID_CREDENTIALS (190) and does not retry', async () => {
    const client = makeClient(baseUrl, { accessToken: 'EAAJBunknownTOKEN000000000000' });
    const error = await graphError(client.getPhoneNumber(PHONE_ID));
    expect(error).toMatchObject({
      errorType: 'INVALID_CREDENTIALS',
      code: 190,
      httpStatus: 401,
      type: 'OAuthException',
      retryable: false,
      endpoint: 'phone_number',
      attempts: 1,
    });
    expect(error.fbtraceId).toEqual(expect.any(String));
    expect(fake.requests).toHaveLength(1);
  });

  it('treats 190 the same when Meta answers it with HTTP 400', async () => {
    const other = await startFake({ oauthErrorStatus: 400 });
    try {
      const client = makeClient(other.baseUrl, { accessToken: 'EAAJBunknownTOKEN000000000000' });
      const error = await graphError(client.getPhoneNumber(PHONE_ID));
      expect(error).toMatchObject({ errorType: 'INVALID_CREDENTIALS', code: 190, httpStatus: 400 });
    } finally {
      await other.fake.stop();
    }
  });

  it('maps an expired token (190/463) to INVALID_CREDENTIALS', async () => {
    const error = await graphError(
      makeClient(baseUrl, { accessToken: EXPIRED_TOKEN }).getBusinessAccount(WABA_ID),
    );
    expect(error).toMatchObject({ errorType: 'INVALID_CREDENTIALS', code: 190, subcode: 463 });
  });

  it('maps a wrong or foreign phone-number id (100/33) to INVALID_PHONE_NUMBER', async () => {
    const client = makeClient(baseUrl);
    for (const id of ['999999999999', OTHER_PHONE_ID]) {
      const error = await graphError(client.getPhoneNumber(id));
      expect(error).toMatchObject({
        errorType: 'INVALID_PHONE_NUMBER',
        code: 100,
        subcode: 33,
        type: 'GraphMethodException',
        httpStatus: 400,
      });
    }
  });

  it('maps a WABA the token cannot see (100/33) to PERMISSION_DENIED', async () => {
    const error = await graphError(makeClient(baseUrl).getSubscribedApps(OTHER_WABA_ID));
    expect(error).toMatchObject({ errorType: 'PERMISSION_DENIED', code: 100, subcode: 33 });
  });

  it('maps a token without management permission to PERMISSION_DENIED (200)', async () => {
    const client = makeClient(baseUrl, { accessToken: MESSAGING_ONLY_TOKEN });
    const error = await graphError(client.subscribeApp(WABA_ID));
    expect(error).toMatchObject({ errorType: 'PERMISSION_DENIED', code: 200, httpStatus: 403 });
  });

  it('maps a token without messaging permission to PERMISSION_DENIED (10)', async () => {
    const client = makeClient(baseUrl, { accessToken: MANAGEMENT_ONLY_TOKEN });
    const error = await graphError(client.sendText(PHONE_ID, '+34600000001', 'hola'));
    expect(error).toMatchObject({ errorType: 'PERMISSION_DENIED', code: 10 });
  });

  it('maps 131047 to OUTSIDE_CUSTOMER_SERVICE_WINDOW with Meta’s details, without retrying', async () => {
    fake.failNext('messages', 1, {
      code: 131047,
      message: '(#131047) Re-engagement message',
      details: 'More than 24 hours have passed since the recipient last replied.',
    });
    const error = await graphError(makeClient(baseUrl).sendText(PHONE_ID, '+34600000001', 'hola'));
    expect(error).toMatchObject({
      errorType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
      code: 131047,
      httpStatus: 400,
      details: 'More than 24 hours have passed since the recipient last replied.',
      retryable: false,
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps Meta’s own message apart from the English summary when Meta gives no details', async () => {
    fake.failNext('messages', 1, { code: 100, message: '(#100) Invalid parameter' });
    const error = await graphError(makeClient(baseUrl).sendText(PHONE_ID, '+34600000001', 'x'));
    expect(error.details).toBeUndefined();
    expect(error.message).toContain('Graph API error 100');
    expect(error.metaMessage).toBe('(#100) Invalid parameter');
    expect(metaWordsOf(error)).toBe('(#100) Invalid parameter');
  });

  it('has no Meta words for a failure Meta did not answer', async () => {
    fake.failNext('messages', 9, { httpStatus: 502 });
    const error = await graphError(makeClient(baseUrl).sendText(PHONE_ID, '+34600000001', 'x'));
    expect(error.errorType).toBe('CONNECTION_FAILED');
    expect(metaWordsOf(error)).toBeUndefined();
  });

  it('maps an unregistered number (133010) to PHONE_NOT_REGISTERED', async () => {
    fake.setPhoneNumberStatus(SECOND_PHONE_ID, 'PENDING');
    try {
      const error = await graphError(
        makeClient(baseUrl).sendText(SECOND_PHONE_ID, '+34600000001', 'hola'),
      );
      expect(error).toMatchObject({ errorType: 'PHONE_NOT_REGISTERED', code: 133010 });
    } finally {
      fake.setPhoneNumberStatus(SECOND_PHONE_ID, 'CONNECTED');
    }
  });

  it.each([
    [132001, 'TEMPLATE_ERROR'],
    [131026, 'RECIPIENT_UNAVAILABLE'],
    [131031, 'ACCOUNT_RESTRICTED'],
    [131053, 'MEDIA_ERROR'],
    [131009, 'INVALID_REQUEST'],
    [131048, 'RATE_LIMIT_EXCEEDED'],
  ])('maps send error %i to %s', async (code, errorType) => {
    fake.failNext('messages', 1, { code });
    const error = await graphError(makeClient(baseUrl).sendText(PHONE_ID, '+34600000001', 'x'));
    expect(error).toMatchObject({ code, errorType, retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a non-Graph 502 to a retryable CONNECTION_FAILED and retries it', async () => {
    fake.failNext('phone_number', 1, { httpStatus: 502 });
    await expect(makeClient(baseUrl).getPhoneNumber(PHONE_ID)).resolves.toMatchObject({
      id: PHONE_ID,
    });
    expect(fake.requests).toHaveLength(2);

    fake.failNext('phone_number', 9, { httpStatus: 502 });
    const error = await graphError(makeClient(baseUrl).getPhoneNumber(PHONE_ID));
    expect(error).toMatchObject({
      errorType: 'CONNECTION_FAILED',
      httpStatus: 502,
      retryable: true,
      attempts: 4,
    });
    expect(error.code).toBeUndefined();
  });

  it('retries a dropped connection on a read', async () => {
    fake.failNext('business_account', 1, { drop: true });
    await expect(makeClient(baseUrl).getBusinessAccount(WABA_ID)).resolves.toMatchObject({
      id: WABA_ID,
    });
    expect(fake.requestsTo('business_account')).toHaveLength(2);
  });

  it('does not repeat a send whose connection dropped (it may have been delivered)', async () => {
    fake.failNext('messages', 1, { drop: true });
    const error = await graphError(makeClient(baseUrl).sendText(PHONE_ID, '+34600000001', 'x'));
    expect(error).toMatchObject({ errorType: 'CONNECTION_FAILED', retryable: true });
    expect(error.httpStatus).toBeUndefined();
    expect(error.networkCode).toEqual(expect.any(String));
    expect(fake.requestsTo('messages')).toHaveLength(1);
  });

  it('turns a timeout into CONNECTION_FAILED (ETIMEDOUT)', async () => {
    fake.failNext('phone_number', 1, { delayMs: 300 });
    const client = makeClient(baseUrl, { timeoutMs: 50, retry: { maxAttempts: 1 } });
    const error = await graphError(client.getPhoneNumber(PHONE_ID));
    expect(error).toMatchObject({
      errorType: 'CONNECTION_FAILED',
      networkCode: 'ETIMEDOUT',
      retryable: true,
      attempts: 1,
    });
  });

  it('turns a refused connection into CONNECTION_FAILED and retries it, sends included', async () => {
    const events: GraphRequestEvent[] = [];
    const closed = await startFake();
    await closed.fake.stop();
    const client = makeClient(closed.baseUrl, {
      retry: { maxAttempts: 2 },
      onRequest: (e) => events.push(e),
    });
    const error = await graphError(client.sendText(PHONE_ID, '+34600000001', 'x'));
    expect(error).toMatchObject({ errorType: 'CONNECTION_FAILED', networkCode: 'ECONNREFUSED' });
    expect(events.map((e) => [e.status, e.attempt])).toEqual([
      ['network', 1],
      ['network', 2],
    ]);
  });

  it('rejects an unexpected success body with UNKNOWN instead of returning garbage', async () => {
    const bodies = ['{"nope":1}', '<html>proxy</html>'];
    const transport = axios.create({
      adapter: async (config) => ({
        data: Buffer.from(bodies.shift() ?? ''),
        status: 200,
        statusText: 'OK',
        headers: {},
        config,
      }),
    });
    const client = new WhatsAppGraphClient({ accessToken: TOKEN, transport });
    for (let i = 0; i < 2; i++) {
      const error = await graphError(client.getPhoneNumber(PHONE_ID));
      expect(error).toMatchObject({ errorType: 'UNKNOWN', httpStatus: 200, retryable: false });
    }
  });
});
