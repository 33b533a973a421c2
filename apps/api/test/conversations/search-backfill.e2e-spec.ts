import type { ConversationListItem, CursorPage } from '@conecta/contracts';
import { Types } from 'mongoose';
import { m0014ConversationSearch } from '../../src/database/migrations/0014-conversation-search';
import { seedWorkspace, SeededWorkspace } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

describe('migration 0014 (conversation search terms)', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  afterAll(() => t.close());

  it('backfills the terms of rows stored before it, so old conversations are found', async () => {
    t = await startTestApp('search_backfill');
    ws = await seedWorkspace(t);
    const db = t.connection.db;
    if (!db) throw new Error('no database');
    const now = new Date();
    const conversationId = new Types.ObjectId();
    // A conversation and a message stored before migration 0014: no search terms.
    await db.collection('conversations').insertOne({
      _id: conversationId,
      workspaceId: new Types.ObjectId(ws.workspaceId),
      chatbotId: ws.chatbotId,
      channel: 'whatsapp',
      sessionId: 'pn-1:5215500003456',
      visitorId: '5215500003456',
      visitorIp: null,
      contactName: 'Begoña Ibáñez',
      integrationId: null,
      contactPhone: null,
      contactUserId: null,
      contactUsername: null,
      status: 'open',
      isFavorite: false,
      messageCount: 1,
      lastMessageAt: now,
      lastMessagePreview: 'Quiero un pingüino',
      startedAt: now,
      endedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await db.collection('messages').insertOne({
      workspaceId: new Types.ObjectId(ws.workspaceId),
      conversationId,
      role: 'user',
      channel: 'whatsapp',
      content: 'Quiero un pingüino',
      deleted: false,
      createdAt: now,
    });
    const find = async (q: string): Promise<string[]> =>
      (
        (await ws.admin.get(`/api/v1/conversations?q=${encodeURIComponent(q)}`).expect(200))
          .body as CursorPage<ConversationListItem>
      ).items.map((i) => i.id);
    expect(await find('begona')).toEqual([]);

    await m0014ConversationSearch.up(db);
    // Twice is harmless (a migration re-run after a crash).
    await m0014ConversationSearch.up(db);

    const id = conversationId.toHexString();
    expect(await find('begona ibanez')).toEqual([id]);
    expect(await find('PINGUINO')).toEqual([id]);
    expect(await find('3456')).toEqual([id]);
  });
});
