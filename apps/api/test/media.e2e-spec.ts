import { signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  buildInboundMessageWebhook,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import type {
  ContactErasureResult,
  ContactExport,
  MessagePage,
  MessageView,
} from '@conecta/contracts';
import request from 'supertest';
import { ObjectId } from 'mongodb';
import { RetentionJob } from '../src/conversations/retention.job';
import { backfillLegacyMedia } from '../src/database/migrations/0015-media-files';
import { MessageDeliveryService } from '../src/whatsapp-webhook/message-delivery.service';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { startTestApp, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

const A: FakeNumber = {
  wabaId: '102290129341600',
  phoneNumberId: '106540352241600',
  token: 'EAAMediaTokenA0000000000000000000000001',
  appSecret: 'cccccccccccccccccccccccccccccccc',
};

/** Real first bytes of each format (the rest is filler: only the magic is read). */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300_000, 7)]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'),
  Buffer.alloc(64),
]);
const OGG = Buffer.concat([Buffer.from('OggS', 'latin1'), Buffer.alloc(64, 2)]);
const MP4 = Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypisom', 'latin1'), Buffer.alloc(64, 3)]);
const HTML = Buffer.from(
  '<!doctype html><html><body><script src="/api/v1/messages/x/media"></script>' +
    '<script>fetch("/api/v1/auth/me").then(r=>r.text()).then(t=>parent.postMessage(t,"*"))</script>' +
    '</body></html>',
);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');

let customerSeq = 0;
const newCustomer = (): string => `3461600${String(++customerSeq).padStart(4, '0')}`;

describe('Message files: kept on arrival, served safely (GET /api/v1/messages/:id/media)', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    t = await startTestApp('media', {
      env: webhookTestEnv(baseUrl, {
        INBOX_MAX_ATTEMPTS: '3',
        INBOX_RETRY_BASE_MS: '20',
        INBOX_LEASE_MS: '2000',
      }),
    });
    ws = await seedWorkspace(t, { name: 'Tienda Media' });
    other = await seedWorkspace(t, { name: 'Otra tienda' });
    await connectNumber(fake, ws, A);
  });

  afterAll(async () => {
    await fake.stop();
    await t?.close();
  });

  beforeEach(() => fake.reset());

  const messages = () => t.connection.collection('messages');
  const files = () => t.connection.collection('media.files');
  const chunks = () => t.connection.collection('media.chunks');
  const downloads = () => t.connection.collection('media_downloads');
  const http = () => request(t.app.getHttpServer());

  /** A customer sends a file: it is at the fake (as Meta) and its webhook reaches us. */
  async function customerSends(
    customer: string,
    type: 'image' | 'audio' | 'video' | 'document' | 'sticker',
    file: { data: Buffer; mimeType: string; filename?: string; caption?: string; voice?: boolean },
    before?: (mediaId: string) => void,
  ): Promise<{ wamid: string; mediaId: string }> {
    const mediaId = fake.addMedia({
      phoneNumberId: A.phoneNumberId,
      data: file.data,
      mimeType: file.mimeType,
    });
    before?.(mediaId);
    const wamid = newWamid();
    const payload = buildInboundMessageWebhook(
      { wabaId: A.wabaId, phoneNumberId: A.phoneNumberId, from: customer, wamid },
      {
        type,
        [type]: {
          id: mediaId,
          mime_type: file.mimeType,
          ...(file.filename ? { filename: file.filename } : {}),
          ...(file.caption ? { caption: file.caption } : {}),
          ...(file.voice ? { voice: true } : {}),
        },
      },
    );
    const body = metaJsonStringify(payload);
    await http()
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, A.appSecret))
      .send(body)
      .expect(200);
    return { wamid, mediaId };
  }

  /** The stored message of a wamid once its file has settled (kept or failed). */
  /** The message once its file is kept (or failed) and its event is finished (the reply sent). */
  async function settled(wamid: string) {
    return waitFor(`the file of ${wamid} to settle`, async () => {
      const m = await messages().findOne({ externalMessageId: wamid });
      const state = (m?.media as { state?: string } | undefined)?.state;
      const open = await t.connection
        .collection('whatsapp_inbox')
        .countDocuments({ key: `m:${wamid}`, state: { $in: ['pending', 'processing'] } });
      return m && open === 0 && (state === 'stored' || state === 'failed') ? m : undefined;
    });
  }

  /** A customer's image opens the 24-hour window; the id of their conversation. */
  async function openConversation(customer: string): Promise<string> {
    const { wamid } = await customerSends(customer, 'image', { data: PNG, mimeType: 'image/png' });
    const m = await settled(wamid);
    return String(m.conversationId);
  }

  describe('download on arrival', () => {
    it('keeps an inbound image in GridFS with its hash, size and types, and the bot still answers', async () => {
      const customer = newCustomer();
      const { wamid, mediaId } = await customerSends(customer, 'image', {
        data: JPEG,
        mimeType: 'image/jpeg',
        caption: 'mi pedido',
      });
      const m = await settled(wamid);
      expect(m.media).toMatchObject({
        id: mediaId,
        state: 'stored',
        size: JPEG.length,
        sniffedType: 'image/jpeg',
      });
      const file = await files().findOne({ _id: m._id });
      expect(file).toMatchObject({
        length: JPEG.length,
        metadata: {
          workspaceId: new ObjectId(ws.workspaceId),
          messageId: String(m._id),
          declaredType: 'image/jpeg',
          sniffedType: 'image/jpeg',
        },
      });
      expect((file?.metadata as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/);
      // Graph `GET /{media-id}` then the URL, with the integration's token.
      const calls = fake.requests.filter(
        (r) => r.endpoint === 'media' || r.endpoint === 'media_download',
      );
      expect(calls.map((r) => r.endpoint)).toEqual(['media', 'media_download']);
      expect(calls[1]?.headers.authorization).toBe(`Bearer ${A.token}`);
      await waitFor(
        'the reply',
        () => fake.sentMessages().some((s) => s.to === `+${customer}`) || undefined,
      );

      const res = await ws.admin
        .get(`/api/v1/messages/${String(m._id)}/media`)
        .buffer(true)
        .expect(200);
      expect(Buffer.compare(res.body as Buffer, JPEG)).toBe(0);
    });

    it('retries a download that fails with backoff and keeps the file on a later attempt', async () => {
      fake.failNext('media_download', 2, { httpStatus: 503, message: 'Service Unavailable' });
      const { wamid } = await customerSends(newCustomer(), 'image', {
        data: PNG,
        mimeType: 'image/png',
      });
      const m = await settled(wamid);
      expect(m.media).toMatchObject({ state: 'stored', sniffedType: 'image/png' });
      const job = await downloads().findOne({ _id: String(m._id) as never });
      expect(job).toMatchObject({ state: 'done', attempts: 3 });
    });

    it("records the last failure on the message with a code and Meta's words when every attempt fails", async () => {
      fake.failNext('media', 3, { code: 1, message: '(#1) An unknown error occurred' });
      const { wamid } = await customerSends(newCustomer(), 'image', {
        data: PNG,
        mimeType: 'image/png',
      });
      const m = await settled(wamid);
      expect(m.media).toMatchObject({ state: 'failed', failureCode: 'MEDIA_DOWNLOAD_FAILED' });
      expect((m.media as { failureDetail: string }).failureDetail).toContain('unknown error');
      expect(await files().countDocuments({ _id: m._id })).toBe(0);
      const view = await ws.admin
        .get(`/api/v1/conversations/${String(m.conversationId)}/messages`)
        .expect(200);
      const shown = (view.body as MessagePage).items.find((i) => i.id === String(m._id));
      expect(shown?.media).toMatchObject({ state: 'failed', failureCode: 'MEDIA_DOWNLOAD_FAILED' });
      await ws.admin.get(`/api/v1/messages/${String(m._id)}/media`).expect(404);
    });

    it("gives up at once on a media id Meta has forgotten: MEDIA_EXPIRED with Meta's reason", async () => {
      const { wamid } = await customerSends(
        newCustomer(),
        'document',
        { data: PDF, mimeType: 'application/pdf', filename: 'factura.pdf' },
        (id) => fake.forgetMedia(id),
      );
      const m = await settled(wamid);
      expect(m.media).toMatchObject({ state: 'failed', failureCode: 'MEDIA_EXPIRED' });
      expect((m.media as { failureDetail: string }).failureDetail).toMatch(/does not exist/);
      expect(await downloads().findOne({ _id: String(m._id) as never })).toMatchObject({
        attempts: 1,
      });
    });

    it("refuses an inbound file over Meta's limit for its kind (a 6 MB image)", async () => {
      const big = Buffer.concat([JPEG.subarray(0, 4), Buffer.alloc(6 * 1024 * 1024)]);
      const { wamid } = await customerSends(newCustomer(), 'image', {
        data: big,
        mimeType: 'image/jpeg',
      });
      const m = await settled(wamid);
      expect(m.media).toMatchObject({ state: 'failed', failureCode: 'MEDIA_TOO_LARGE' });
      expect(await files().countDocuments({ _id: m._id })).toBe(0);
      // Meta's stated size was enough: the file was never downloaded.
      expect(fake.requests.filter((r) => r.endpoint === 'media_download')).toHaveLength(0);
    });
  });

  describe('messages stored before files were kept (migration 0015)', () => {
    it('queues the download of a recent one and marks one older than 7 days expired', async () => {
      const recent = await settled(
        (await customerSends(newCustomer(), 'image', { data: PNG, mimeType: 'image/png' })).wamid,
      );
      const old = await settled(
        (await customerSends(newCustomer(), 'image', { data: PNG, mimeType: 'image/png' })).wamid,
      );
      // As they were before: a media id, no state, no file, no job.
      for (const m of [recent, old]) {
        await chunks().deleteMany({ files_id: m._id });
        await files().deleteOne({ _id: m._id });
        await downloads().deleteOne({ _id: String(m._id) as never });
        await messages().updateOne(
          { _id: m._id },
          { $unset: { 'media.state': 1, 'media.size': 1, 'media.sniffedType': 1 } },
        );
      }
      await messages().updateOne(
        { _id: old._id },
        { $set: { createdAt: new Date(Date.now() - 8 * 24 * 3600_000) } },
      );
      const db = t.connection.db;
      if (!db) throw new Error('no db');
      await backfillLegacyMedia(db);
      const kept = await settled(String(recent.externalMessageId));
      expect(kept.media).toMatchObject({ state: 'stored', sniffedType: 'image/png' });
      expect(await files().countDocuments({ _id: recent._id })).toBe(1);
      expect((await messages().findOne({ _id: old._id }))?.media).toMatchObject({
        state: 'failed',
        failureCode: 'MEDIA_EXPIRED',
      });
      // Run again: nothing changes (one job per message, the kept one untouched).
      await backfillLegacyMedia(db);
      expect(await downloads().countDocuments({ _id: String(recent._id) as never })).toBe(1);
    });
  });

  describe('after Meta forgets', () => {
    it('still serves an image once its URL expired and Meta forgot the media id', async () => {
      const { wamid, mediaId } = await customerSends(newCustomer(), 'image', {
        data: JPEG,
        mimeType: 'image/jpeg',
      });
      const m = await settled(wamid);
      fake.expireMediaUrls();
      fake.forgetMedia(mediaId);
      fake.reset();
      const res = await ws.admin
        .get(`/api/v1/messages/${String(m._id)}/media`)
        .buffer(true)
        .expect(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(Buffer.compare(res.body as Buffer, JPEG)).toBe(0);
      // Served from our copy: Meta was not asked.
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('serving headers per type class', () => {
    const cases: {
      name: string;
      type: 'image' | 'audio' | 'video' | 'document' | 'sticker';
      data: Buffer;
      declared: string;
      inline: boolean;
      served: string;
    }[] = [
      {
        name: 'a JPEG image',
        type: 'image',
        data: JPEG,
        declared: 'image/jpeg',
        inline: true,
        served: 'image/jpeg',
      },
      {
        name: 'a PNG the sender called text/html',
        type: 'image',
        data: PNG,
        declared: 'text/html',
        inline: true,
        served: 'image/png',
      },
      {
        name: 'a WebP sticker',
        type: 'sticker',
        data: WEBP,
        declared: 'image/webp',
        inline: true,
        served: 'image/webp',
      },
      {
        name: 'an OGG voice note',
        type: 'audio',
        data: OGG,
        declared: 'audio/ogg; codecs=opus',
        inline: true,
        served: 'audio/ogg',
      },
      {
        name: 'an MP4 video',
        type: 'video',
        data: MP4,
        declared: 'video/mp4',
        inline: true,
        served: 'video/mp4',
      },
      {
        name: 'a PDF document',
        type: 'document',
        data: PDF,
        declared: 'application/pdf',
        inline: false,
        served: 'application/octet-stream',
      },
      {
        name: 'an HTML "document" with script',
        type: 'document',
        data: HTML,
        declared: 'text/html',
        inline: false,
        served: 'application/octet-stream',
      },
      {
        name: 'HTML the sender called image/jpeg',
        type: 'image',
        data: HTML,
        declared: 'image/jpeg',
        inline: false,
        served: 'application/octet-stream',
      },
    ];

    it.each(cases)('serves $name as $served', async (c) => {
      const { wamid } = await customerSends(newCustomer(), c.type, {
        data: c.data,
        mimeType: c.declared,
        ...(c.type === 'document' ? { filename: 'x.html' } : {}),
      });
      const m = await settled(wamid);
      const res = await ws.admin
        .get(`/api/v1/messages/${String(m._id)}/media`)
        .buffer(true)
        .expect(200);
      expect(res.headers['content-type']).toBe(c.served);
      expect(res.headers['content-disposition']).toMatch(c.inline ? /^inline;/ : /^attachment;/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // Exactly ours: the app-wide policy does not loosen it.
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      expect(Buffer.compare(res.body as Buffer, c.data)).toBe(0);
    });

    it('never lets a stored HTML document run: no HTML type, a download, sandboxed, no sniffing', async () => {
      const { wamid } = await customerSends(newCustomer(), 'document', {
        data: HTML,
        mimeType: 'text/html',
        filename: 'invoice.html',
      });
      const m = await settled(wamid);
      expect(m.media).toMatchObject({ state: 'stored', mimeType: 'text/html' });
      expect((m.media as { sniffedType?: string }).sniffedType).toBeUndefined();
      const res = await ws.admin
        .get(`/api/v1/messages/${String(m._id)}/media`)
        .buffer(true)
        .expect(200);
      expect(res.headers['content-type']).not.toMatch(/html|javascript|xml|svg/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="invoice.html"');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/sandbox/);
    });

    it('is scoped to the workspace: another workspace gets 404, a signed-out caller 401', async () => {
      const { wamid } = await customerSends(newCustomer(), 'image', {
        data: PNG,
        mimeType: 'image/png',
      });
      const m = await settled(wamid);
      const res = await other.admin.get(`/api/v1/messages/${String(m._id)}/media`).expect(404);
      expect(res.body.error).toBe('NOT_FOUND');
      await http()
        .get(`/api/v1/messages/${String(m._id)}/media`)
        .expect(401);
    });
  });

  describe('retention, erasure and export', () => {
    it('exports a contact with its files and erasure removes the files and their chunks', async () => {
      const customer = newCustomer();
      const { wamid } = await customerSends(customer, 'image', {
        data: JPEG,
        mimeType: 'image/jpeg',
      });
      const m = await settled(wamid);
      const exported = await ws.admin.get(`/api/v1/contacts/whatsapp/${customer}`).expect(200);
      const data = exported.body as ContactExport;
      expect(data.files).toHaveLength(1);
      expect(data.files[0]).toMatchObject({
        messageId: String(m._id),
        size: JPEG.length,
        sniffedType: 'image/jpeg',
      });
      expect(Buffer.from(data.files[0]?.dataBase64 ?? '', 'base64').equals(JPEG)).toBe(true);

      const erased = await ws.admin.delete(`/api/v1/contacts/whatsapp/${customer}`).expect(200);
      expect((erased.body as ContactErasureResult).collections.media_files).toBe(1);
      expect(await files().countDocuments({ _id: m._id })).toBe(0);
      expect(await chunks().countDocuments({ files_id: m._id })).toBe(0);
      expect(await downloads().countDocuments({ _id: String(m._id) as never })).toBe(0);
      await ws.admin.get(`/api/v1/messages/${String(m._id)}/media`).expect(404);
    });

    it('retention deletes the files with their messages', async () => {
      const { wamid } = await customerSends(newCustomer(), 'image', {
        data: PNG,
        mimeType: 'image/png',
      });
      const m = await settled(wamid);
      const days = t.config.conversations.retentionDays;
      const later = new Date(Date.now() + (days + 1) * 24 * 3600_000);
      const pass = await t.app.get(RetentionJob).run(later);
      expect(pass?.mediaFilesDeleted).toBeGreaterThanOrEqual(1);
      expect(await files().countDocuments({ _id: m._id })).toBe(0);
      expect(await chunks().countDocuments({ files_id: m._id })).toBe(0);
      expect(await messages().countDocuments({ _id: m._id })).toBe(0);
    });
  });

  describe('an agent sends a file: POST /api/v1/conversations/:id/messages (multipart)', () => {
    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      const appUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
      fake.autoStatuses = {
        webhookUrl: `${appUrl}/api/whatsapp/webhook`,
        appSecret: A.appSecret,
        delayMs: 5,
      };
    });
    afterAll(() => {
      fake.autoStatuses = undefined;
    });

    function upload(conversationId: string, file: Buffer, name: string, type: string) {
      return ws.agent
        .post(`/api/v1/conversations/${conversationId}/messages`)
        .attach('file', file, { filename: name, contentType: type });
    }

    const uploads = () =>
      fake.requests.filter((r) => r.endpoint === 'media' && r.method === 'POST');

    it('uploads a PDF to Graph, sends it once by id for a retried Idempotency-Key, and it is delivered', async () => {
      const customer = newCustomer();
      const conversationId = await openConversation(customer);
      fake.reset();
      const send = () =>
        upload(conversationId, PDF, 'factura.pdf', 'application/pdf')
          .field('caption', 'Su factura')
          .set('Idempotency-Key', 'pdf-key-1')
          .expect(201);
      const first = (await send()).body as MessageView;
      expect(first).toMatchObject({
        sender: 'agent',
        deliveryStatus: 'pending',
        media: { kind: 'document', fileName: 'factura.pdf', caption: 'Su factura' },
      });
      const read = await waitFor(`file ${first.id} read`, async () => {
        const doc = await messages().findOne({ _id: new ObjectId(first.id) });
        return doc?.deliveryStatus === 'read' ? doc : undefined;
      });
      const again = (await send()).body as MessageView;
      expect(again.id).toBe(first.id);

      expect(uploads()).toHaveLength(1);
      const form = uploads()[0]?.body as { fields: Record<string, string>; file: { data: Buffer } };
      expect(form.fields).toMatchObject({ messaging_product: 'whatsapp', type: 'application/pdf' });
      expect(form.file.data.equals(PDF)).toBe(true);
      const docs = fake.sentMessages().filter((m) => m.to === `+${customer}`);
      expect(docs.map((m) => m.type)).toEqual(['document']);
      const doc = docs[0]?.payload.document as { id: string; caption: string; filename: string };
      expect(doc).toMatchObject({ caption: 'Su factura', filename: 'factura.pdf' });
      expect(read).toMatchObject({ externalMessageId: docs[0]?.wamid, media: { id: doc.id } });
      // One stored file message for the two requests (the bot's answer to the photo is another).
      expect(
        await messages().countDocuments({
          conversationId: read.conversationId,
          role: 'assistant',
          'media.kind': 'document',
        }),
      ).toBe(1);

      const kept = await ws.agent
        .get(`/api/v1/messages/${first.id}/media`)
        .buffer(true)
        .expect(200);
      expect(Buffer.compare(kept.body as Buffer, PDF)).toBe(0);

      const reused = await upload(conversationId, JPEG, 'foto.jpg', 'image/jpeg')
        .set('Idempotency-Key', 'pdf-key-1')
        .expect(409);
      expect(reused.body.details).toEqual({ reason: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('refuses an oversized or wrong-type file, an unknown part or no file before uploading or storing', async () => {
      const conversationId = await openConversation(newCustomer());
      fake.reset();
      const before = await messages().countDocuments();
      const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
      const tooBig = await upload(conversationId, big, 'x.png', 'image/png').expect(413);
      expect(tooBig.body).toMatchObject({
        error: 'PAYLOAD_TOO_LARGE',
        details: { reason: 'MEDIA_TOO_LARGE' },
      });
      const html = await upload(conversationId, HTML, 'x.html', 'text/html').expect(415);
      expect(html.body).toMatchObject({
        error: 'UNSUPPORTED_MEDIA_TYPE',
        details: { reason: 'MEDIA_TYPE_NOT_ALLOWED' },
      });
      const unknown = await upload(conversationId, PDF, 'f.pdf', 'application/pdf')
        .field('to', '+34999')
        .expect(400);
      expect(unknown.body.details.fields).toEqual([
        expect.objectContaining({ field: 'to', code: 'unknown' }),
      ]);
      const none = await ws.agent
        .post(`/api/v1/conversations/${conversationId}/messages`)
        .field('caption', 'hola')
        .expect(400);
      expect(none.body.details.fields).toEqual([
        expect.objectContaining({ field: 'file', code: 'required' }),
      ]);
      expect(none.body).not.toHaveProperty('stack');
      expect(uploads()).toHaveLength(0);
      expect(fake.sentMessages()).toHaveLength(0);
      expect(await messages().countDocuments()).toBe(before);
    });
  });

  describe('an agent sends a file (service level)', () => {
    const delivery = () => t.app.get(MessageDeliveryService);

    it('uploads a PDF to Graph, sends it by id with its caption, keeps a copy and shows it', async () => {
      const customer = newCustomer();
      const conversationId = await openConversation(customer);
      fake.reset();
      const sent = await delivery().sendFile(
        ws.workspaceId,
        conversationId,
        { data: PDF, mimeType: 'application/pdf', fileName: 'factura.pdf' },
        'Su factura',
      );
      const upload = fake.requests.find((r) => r.endpoint === 'media' && r.method === 'POST');
      const form = upload?.body as { fields: Record<string, string>; file: { data: Buffer } };
      expect(form.fields).toMatchObject({ messaging_product: 'whatsapp', type: 'application/pdf' });
      expect(form.file.data.equals(PDF)).toBe(true);
      const [out] = fake.sentMessages().filter((m) => m.to === `+${customer}`);
      expect(out?.type).toBe('document');
      const doc = out?.payload.document as { id: string; caption: string; filename: string };
      expect(doc).toMatchObject({ caption: 'Su factura', filename: 'factura.pdf' });
      expect(fake.media(doc.id)?.data.equals(PDF)).toBe(true);
      expect(sent).toMatchObject({ role: 'assistant', externalMessageId: out?.wamid });
      expect(sent.media).toMatchObject({ id: doc.id, kind: 'document', state: 'stored' });

      const res = await ws.admin.get(`/api/v1/messages/${sent.id}/media`).buffer(true).expect(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="factura.pdf"');
      expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);
      const page = await ws.admin
        .get(`/api/v1/conversations/${conversationId}/messages`)
        .expect(200);
      const shown = (page.body as MessagePage).items.find((i) => i.id === sent.id);
      expect(shown?.media).toMatchObject({
        kind: 'document',
        fileName: 'factura.pdf',
        caption: 'Su factura',
      });
    });

    it("refuses a file over Meta's limit or of a type Meta does not take, before uploading or storing", async () => {
      const conversationId = await openConversation(newCustomer());
      fake.reset();
      const before = await messages().countDocuments();
      const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
      await expect(
        delivery().sendFile(ws.workspaceId, conversationId, {
          data: big,
          mimeType: 'image/png',
          fileName: 'x.png',
        }),
      ).rejects.toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        status: 413,
        details: { reason: 'MEDIA_TOO_LARGE' },
      });
      await expect(
        delivery().sendFile(ws.workspaceId, conversationId, {
          data: HTML,
          mimeType: 'image/png',
          fileName: 'x.png',
        }),
      ).rejects.toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        details: { reason: 'MEDIA_TYPE_NOT_ALLOWED' },
      });
      await expect(
        delivery().sendFile(ws.workspaceId, conversationId, {
          data: HTML,
          mimeType: 'text/html',
          fileName: 'x.html',
        }),
      ).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(fake.requests).toHaveLength(0);
      expect(await messages().countDocuments()).toBe(before);
    });

    it('a failed send keeps its upload: the retry sends the same media id without uploading again', async () => {
      const customer = newCustomer();
      const conversationId = await openConversation(customer);
      fake.reset();
      fake.failNext('messages', 1, { code: 131000, message: 'Something went wrong' });
      const error = await delivery()
        .sendFile(ws.workspaceId, conversationId, {
          data: JPEG,
          mimeType: 'image/jpeg',
          fileName: 'foto.jpg',
        })
        .catch((e: { details: { messageId: string } }) => e);
      const messageId = (error as { details: { messageId: string } }).details.messageId;
      const failed = await messages().findOne({ _id: new ObjectId(messageId) });
      expect(failed).toMatchObject({ deliveryStatus: 'failed', media: { kind: 'image' } });
      await ws.admin.post(`/api/v1/messages/${messageId}/retry`).expect(200);
      const uploads = fake.requests.filter((r) => r.endpoint === 'media' && r.method === 'POST');
      expect(uploads).toHaveLength(1);
      const images = fake
        .sentMessages()
        .filter((m) => m.to === `+${customer}` && m.type === 'image');
      expect(images).toHaveLength(1);
      expect((images[0]?.payload.image as { id: string }).id).toBe(
        (failed?.media as { id: string }).id,
      );
    });
  });
});
