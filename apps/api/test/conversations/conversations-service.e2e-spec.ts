import { getModelToken } from '@nestjs/mongoose';
import { ObjectId } from 'mongodb';
import type { Model } from 'mongoose';
import { type WorkspaceId, workspaceIdOf } from '../../src/common/workspace-id';
import { Conversation } from '../../src/conversations/conversation.schema';
import { ConversationsService } from '../../src/conversations/conversations.service';
import { Message } from '../../src/conversations/message.schema';
import { RetentionJob } from '../../src/conversations/retention.job';
import { startTestApp, TestApp } from '../support/test-app';
import { systemAuth } from '../support/auth';

const WS_A = workspaceIdOf('a'.repeat(24));
const WS_B = workspaceIdOf('b'.repeat(24));
const BOT_A = 'c'.repeat(24);
const BOT_B = 'd'.repeat(24);
const DAY = 24 * 60 * 60 * 1000;

describe('ConversationsService (the API used by the web channel and the WhatsApp webhook)', () => {
  let t: TestApp;
  let service: ConversationsService;
  beforeAll(async () => {
    t = await startTestApp('conv_service', {
      env: { MESSAGE_RETENTION_DAYS: '30', MESSAGE_RETENTION_BATCH_SIZE: '10' },
    });
    service = t.app.get(ConversationsService);
  });
  afterAll(() => t.close());

  const whatsapp = (sessionId: string, visitorId: string, workspaceId = WS_A, chatbotId = BOT_A) =>
    service.findOrCreate({
      workspaceId,
      chatbotId,
      channel: 'whatsapp',
      sessionId,
      visitorId,
      contactName: 'Ana',
    });

  describe('findOrCreate', () => {
    it('is idempotent on (chatbot, channel, session) and keeps the latest contact name', async () => {
      const first = await whatsapp('pn1:5215512345678', '5215512345678');
      const again = await service.findOrCreate({
        workspaceId: WS_A,
        chatbotId: BOT_A,
        channel: 'whatsapp',
        sessionId: 'pn1:5215512345678',
        visitorId: '5215512345678',
        contactName: 'Ana María',
      });
      expect(again.id).toBe(first.id);
      expect(again.contactName).toBe('Ana María');
      expect(again.status).toBe('open');
      expect(again.messageCount).toBe(0);
    });

    it('answers one conversation to concurrent first messages of a session', async () => {
      const all = await Promise.all(
        Array.from({ length: 5 }, () => whatsapp('pn1:race', '5215500000001')),
      );
      expect(new Set(all.map((c) => c.id)).size).toBe(1);
    });

    it('stores the workspace id of a conversation and its messages as an ObjectId', async () => {
      const c = await whatsapp('pn1:objectid', '5215500000009');
      await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'user',
        channel: 'whatsapp',
        content: 'hola',
      });
      const conversation = await t.connection
        .collection('conversations')
        .findOne({ _id: new ObjectId(c.id) });
      const message = await t.connection
        .collection('messages')
        .findOne({ conversationId: new ObjectId(c.id) });
      expect(conversation?.workspaceId).toEqual(new ObjectId(WS_A));
      expect(message?.workspaceId).toEqual(new ObjectId(WS_A));
      expect(c.workspaceId).toBe(WS_A);
    });

    it('does not reopen a closed conversation', async () => {
      const c = await whatsapp('pn1:closed', '5215500000002');
      await service.update(systemAuth(WS_A), c.id, { status: 'closed' });
      const again = await whatsapp('pn1:closed', '5215500000002');
      expect(again.status).toBe('closed');
    });
  });

  describe('addMessage', () => {
    it('counts messages, follows the newest for the preview and ignores a redelivered wamid', async () => {
      const c = await whatsapp('pn1:count', '5215500000003');
      const t0 = new Date('2030-01-01T10:00:00Z');
      const m1 = await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'user',
        channel: 'whatsapp',
        content: 'hola',
        externalMessageId: 'wamid.count.1',
        createdAt: t0,
      });
      const dup = await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'user',
        channel: 'whatsapp',
        content: 'hola',
        externalMessageId: 'wamid.count.1',
        createdAt: t0,
      });
      expect(dup.id).toBe(m1.id);
      await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'assistant',
        channel: 'whatsapp',
        content: '¡Hola! ¿En qué te ayudo?',
        deliveryStatus: 'pending',
        tokens: 12,
        responseTime: 340,
        createdAt: new Date(t0.getTime() + 1000),
      });
      // An older message arriving late counts but does not take over the preview.
      await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'user',
        channel: 'whatsapp',
        content: 'antes',
        createdAt: new Date(t0.getTime() - 1000),
      });
      const after = await service.getConversation(WS_A, c.id);
      expect(after.messageCount).toBe(3);
      expect(after.lastMessagePreview).toBe('¡Hola! ¿En qué te ayudo?');
      expect(after.lastMessageAt.toISOString()).toBe('2030-01-01T10:00:01.000Z');
      const history = await service.recentHistory(WS_A, c.id, 10);
      expect(history.map((m) => m.content)).toEqual(['antes', 'hola', '¡Hola! ¿En qué te ayudo?']);
      expect((await service.recentHistory(WS_A, c.id, 2)).map((m) => m.content)).toEqual([
        'hola',
        '¡Hola! ¿En qué te ayudo?',
      ]);
    });

    it('previews a media message by its kind', async () => {
      const c = await whatsapp('pn1:media', '5215500000004');
      await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'user',
        channel: 'whatsapp',
        content: '',
        media: { id: 'media-1', kind: 'image', mimeType: 'image/jpeg' },
      });
      expect((await service.getConversation(WS_A, c.id)).lastMessagePreview).toBe('[image]');
    });

    it('refuses a conversation of another workspace with NOT_FOUND', async () => {
      const c = await whatsapp('pn1:other', '5215500000005');
      const text = (workspaceId: WorkspaceId) => ({
        workspaceId,
        conversationId: c.id,
        role: 'user' as const,
        channel: 'whatsapp' as const,
        content: 'x',
      });
      await expect(service.addMessage(text(WS_B))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // A record passed along spares the check only when it is the same conversation and workspace.
      await expect(service.addMessage(text(WS_B), c)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const stored = await service.addMessage(text(WS_A), c);
      expect(stored.conversationId).toBe(c.id);
      expect((await service.getConversation(WS_A, c.id)).messageCount).toBe(1);
    });
  });

  describe('stored documents (written through the driver)', () => {
    /**
     * The stored document is what the schema makes of it: cast (ObjectIds, dates), with its
     * defaults, nothing it does not know. FerretDB's upsert leaves out null and empty-array
     * values (it did so for mongoose's upsert too): those alone may be absent.
     */
    function expectAsTheSchemaStores<T>(model: Model<T>, raw: Record<string, unknown>): void {
      const doc = new model(raw);
      expect(doc.validateSync()).toBeUndefined();
      const view = doc.toObject() as Record<string, unknown>;
      for (const key of Object.keys(view).filter((k) => !(k in raw))) {
        expect({ [key]: view[key] }).toEqual({ [key]: view[key] === null ? null : [] });
      }
      expect(Object.fromEntries(Object.keys(raw).map((k) => [k, view[k]]))).toEqual(raw);
    }

    it('stores a new conversation and its messages exactly as the schema would: every default, ObjectIds, nothing else', async () => {
      const conversationModel = t.app.get<Model<Conversation>>(getModelToken(Conversation.name));
      const messageModel = t.app.get<Model<Message>>(getModelToken(Message.name));
      const c = await service.findOrCreate({
        workspaceId: WS_A,
        chatbotId: BOT_A,
        channel: 'whatsapp',
        sessionId: 'pn1:stored-docs',
        visitorId: '5215500000077',
        integrationId: 'integration-1',
        contact: { phone: '5215500000077', userId: 'US.1234567890' },
        entryPoint: {
          adReferral: {
            sourceUrl: 'https://fb.me/ad',
            sourceType: 'ad',
            headline: 'Oferta',
            body: null,
            mediaType: null,
            ctwaClid: 'clid-1',
          },
          endsAt: new Date('2030-01-04T10:00:00Z'),
        },
      });
      const web = await service.findOrCreate({
        workspaceId: WS_A,
        chatbotId: BOT_A,
        channel: 'web',
        sessionId: 'web-stored-docs',
        visitorId: 'visitor-stored-docs',
        visitorIp: '203.0.113.9',
      });
      const full = await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'user',
        channel: 'whatsapp',
        content: 'mira esto',
        externalMessageId: 'wamid.stored-docs.1',
        media: { id: 'media-9', kind: 'image', mimeType: 'image/jpeg', caption: 'foto' },
        location: { latitude: 19.4, longitude: -99.1, name: 'Centro' },
        sharedContacts: [{ phones: ['+52 55 1111 2222'], emails: [] }],
        replyToExternalId: 'wamid.earlier',
        createdAt: new Date('2030-01-01T10:00:00Z'),
      });
      const reply = await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'assistant',
        channel: 'whatsapp',
        content: 'gracias',
        author: { userId: 'u1', name: 'Lupe' },
        deliveryStatus: 'pending',
        tokens: 7,
        responseTime: 120,
      });
      await service.setExternalId(WS_A, reply.id, 'wamid.stored-docs.2');
      const bare = await service.addMessage({
        workspaceId: WS_A,
        conversationId: web.id,
        role: 'user',
        channel: 'web',
        content: 'hola',
      });
      for (const id of [c.id, web.id]) {
        const raw = await t.connection
          .collection('conversations')
          .findOne({ _id: new ObjectId(id) });
        if (!raw) throw new Error('conversation not stored');
        expectAsTheSchemaStores(conversationModel, raw);
      }
      for (const m of [full, reply, bare]) {
        const raw = await t.connection.collection('messages').findOne({ _id: new ObjectId(m.id) });
        if (!raw) throw new Error('message not stored');
        expectAsTheSchemaStores(messageModel, raw);
        // What the insert answered is what a later read gives.
        expect(await service.getMessage(WS_A, m.id)).toEqual({
          ...m,
          ...(m.id === reply.id
            ? { externalMessageId: 'wamid.stored-docs.2', deliveryUpdatedAt: expect.any(Date) }
            : {}),
        });
      }
      const counted = await service.getConversation(WS_A, c.id);
      expect(counted).toMatchObject({ messageCount: 2, customerMessageCount: 1 });
      expect(counted.adReferral).toMatchObject({ ctwaClid: 'clid-1' });
    });
  });

  describe('setDeliveryStatus', () => {
    const PN1 = { workspaceId: WS_A, phoneNumberId: 'pn1' };
    it('moves forward only, keeps pricing and treats failed as terminal', async () => {
      const c = await whatsapp('pn1:status', '5215500000006');
      const m = await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'assistant',
        channel: 'whatsapp',
        content: 'respuesta',
        deliveryStatus: 'pending',
      });
      await service.setExternalId(WS_A, m.id, 'wamid.status.1');
      const at = new Date();
      const pricing = { billable: false, pricingModel: 'PMP', category: 'service' };
      await expect(
        service.setDeliveryStatus(PN1, 'wamid.status.1', 'sent', { at, pricing }),
      ).resolves.toBe('applied');
      await expect(service.setDeliveryStatus(PN1, 'wamid.status.1', 'read', { at })).resolves.toBe(
        'applied',
      );
      await expect(
        service.setDeliveryStatus(PN1, 'wamid.status.1', 'delivered', { at }),
      ).resolves.toBe('stale');
      await expect(
        service.setDeliveryStatus(PN1, 'wamid.unknown', 'delivered', { at }),
      ).resolves.toBe('unknown-message');
      // Another workspace, or another number of the same workspace, cannot touch this message.
      for (const scope of [
        { workspaceId: WS_B, phoneNumberId: 'pn1' },
        { workspaceId: WS_A, phoneNumberId: 'pn2' },
      ]) {
        await expect(
          service.setDeliveryStatus(scope, 'wamid.status.1', 'failed', {
            at,
            errorCode: 131026,
            errorType: 'RECIPIENT_UNAVAILABLE',
            errorReason: 'written by another tenant',
          }),
        ).resolves.toBe('unknown-message');
      }
      const read = await service.getMessage(WS_A, m.id);
      expect(read.deliveryStatus).toBe('read');
      expect(read.pricing).toEqual(pricing);

      const m2 = await service.addMessage({
        workspaceId: WS_A,
        conversationId: c.id,
        role: 'assistant',
        channel: 'whatsapp',
        content: 'otra',
        deliveryStatus: 'pending',
        externalMessageId: 'wamid.status.2',
      });
      await expect(
        service.setDeliveryStatus(PN1, 'wamid.status.2', 'failed', {
          at,
          errorCode: 131047,
          errorType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
          errorReason: 'More than 24 hours have passed since the customer last wrote',
        }),
      ).resolves.toBe('applied');
      await expect(
        service.setDeliveryStatus(PN1, 'wamid.status.2', 'delivered', { at }),
      ).resolves.toBe('stale');
      const failed = await service.getMessage(WS_A, m2.id);
      expect(failed).toMatchObject({
        deliveryStatus: 'failed',
        errorCode: 131047,
        errorType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
      });

      const pending = await service.markPending(WS_A, m2.id);
      expect(pending).toMatchObject({
        deliveryStatus: 'pending',
        errorCode: null,
        errorType: null,
      });
    });
  });

  describe('list', () => {
    it('pages by last activity with no duplicates or gaps while new messages arrive', async () => {
      const ws = workspaceIdOf('e'.repeat(24));
      const base = Date.parse('2031-01-01T00:00:00Z');
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        const c = await service.findOrCreate({
          workspaceId: ws,
          chatbotId: BOT_A,
          channel: i % 2 ? 'web' : 'whatsapp',
          sessionId: `page-${i}`,
          visitorId: `52155000${String(i).padStart(5, '0')}`,
        });
        // Every third pair shares a timestamp, so ties are broken by _id.
        await service.addMessage({
          workspaceId: ws,
          conversationId: c.id,
          role: 'user',
          channel: c.channel,
          content: `m${i}`,
          createdAt: new Date(base + Math.floor(i / 2) * 1000),
        });
        ids.push(c.id);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await service.list(ws, { limit: 4, cursor });
        seen.push(...page.items.map((i) => i.id));
        // Activity while paging: an already-seen conversation gets a message, a new one starts.
        const touched = page.items[0];
        if (touched) {
          await service.addMessage({
            workspaceId: ws,
            conversationId: touched.id,
            role: 'user',
            channel: touched.channel,
            content: 'again',
            createdAt: new Date(base + 100_000 + pages * 1000),
          });
        }
        const fresh = await service.findOrCreate({
          workspaceId: ws,
          chatbotId: BOT_A,
          channel: 'web',
          sessionId: `fresh-${pages}`,
          visitorId: `fresh-${pages}`,
        });
        await service.addMessage({
          workspaceId: ws,
          conversationId: fresh.id,
          role: 'user',
          channel: 'web',
          content: 'new',
          createdAt: new Date(base + 200_000 + pages * 1000),
        });
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...ids].sort());
      expect(pages).toBe(7);
    });

    it('caps the limit and rejects a tampered cursor', async () => {
      const page = await service.list(WS_A, { limit: 10_000 });
      expect(page.items.length).toBeLessThanOrEqual(100);
      await expect(service.list(WS_A, { cursor: 'bm9wZQ' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });
  });

  describe('retention', () => {
    it('removes only messages older than MESSAGE_RETENTION_DAYS, then the conversations left empty', async () => {
      const now = new Date();
      const old = new Date(now.getTime() - 40 * DAY);
      const recent = new Date(now.getTime() - 2 * DAY);
      const ws = workspaceIdOf('f'.repeat(24));
      const allOld = await service.findOrCreate({
        workspaceId: ws,
        chatbotId: BOT_B,
        channel: 'web',
        sessionId: 'ret-old',
        visitorId: 'ret-old',
      });
      const mixed = await service.findOrCreate({
        workspaceId: ws,
        chatbotId: BOT_B,
        channel: 'web',
        sessionId: 'ret-mixed',
        visitorId: 'ret-mixed',
      });
      for (let i = 0; i < 15; i++) {
        await service.addMessage({
          workspaceId: ws,
          conversationId: allOld.id,
          role: 'user',
          channel: 'web',
          content: `o${i}`,
          createdAt: new Date(old.getTime() + i),
        });
      }
      for (let i = 0; i < 12; i++) {
        await service.addMessage({
          workspaceId: ws,
          conversationId: mixed.id,
          role: 'user',
          channel: 'web',
          content: `x${i}`,
          createdAt: new Date(old.getTime() + i),
        });
      }
      await service.addMessage({
        workspaceId: ws,
        conversationId: mixed.id,
        role: 'user',
        channel: 'web',
        content: 'keep me',
        createdAt: recent,
      });

      const events = t.connection.collection('workspace_events');
      await events.insertMany([
        { workspaceId: ws, type: 'message', conversationId: 'x', at: old },
        { workspaceId: ws, type: 'message', conversationId: 'y', at: now },
      ]);
      const result = await t.app.get(RetentionJob).run(now);
      // The live streams only look seconds back: older workspace events go.
      expect(await events.countDocuments({ workspaceId: ws, at: old })).toBe(0);
      expect(await events.countDocuments({ workspaceId: ws, at: now })).toBe(1);
      expect(result).toMatchObject({ messagesDeleted: 27, conversationsDeleted: 1 });
      expect(result?.batches ?? 0).toBeGreaterThan(2); // batches of 10

      await expect(service.getConversation(ws, allOld.id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const kept = await service.getConversation(ws, mixed.id);
      expect(kept.messageCount).toBe(1);
      expect((await service.recentHistory(ws, mixed.id, 50)).map((m) => m.content)).toEqual([
        'keep me',
      ]);
      // Everything else in this database is newer than the cutoff and untouched.
      expect((await service.counts(WS_A)).all).toBeGreaterThan(0);
    });
  });
});
