import type {
  ChannelCounts,
  ConversationCounts,
  ContactExport,
  ConversationListItem,
  CursorPage,
  MessagePage,
  PublicChatResponse,
} from '@conecta/contracts';
import { Types } from 'mongoose';
import request, { Response } from 'supertest';
import { ChatbotsService } from '../../src/chatbots/chatbots.service';
import { ConversationsService } from '../../src/conversations/conversations.service';
import { seedWorkspace, SeededWorkspace, systemAuth } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

const ANA = '5215512345678';
const BETO = '5215587654321';
const CARLA = '14155550123';
const PHONES = [ANA, BETO, CARLA];

/** No response may carry a full phone number, nor the number without its last four digits. */
function noFullNumbers(res: Response): void {
  const text = res.text ?? '';
  for (const phone of PHONES) {
    for (const fragment of [phone, phone.slice(0, -4), `+${phone}`]) {
      if (text.includes(fragment))
        throw new Error(`response of ${res.status} contains ${fragment}: ${text.slice(0, 300)}`);
    }
  }
}

describe('Conversations API', () => {
  let t: TestApp;
  let a: SeededWorkspace;
  let b: SeededWorkspace;
  let service: ConversationsService;
  let publicIdA: string;
  const ids: Record<string, string> = {};

  const page = (res: Response): CursorPage<ConversationListItem> =>
    res.body as CursorPage<ConversationListItem>;

  async function whatsappConversation(
    ws: SeededWorkspace,
    phone: string,
    name: string | undefined,
    texts: string[],
  ): Promise<string> {
    const c = await service.findOrCreate({
      workspaceId: ws.workspaceId,
      chatbotId: ws.chatbotId,
      channel: 'whatsapp',
      sessionId: `pn-1:${phone}`,
      visitorId: phone,
      contactName: name,
    });
    for (const content of texts) {
      await service.addMessage({
        workspaceId: ws.workspaceId,
        conversationId: c.id,
        role: 'user',
        channel: 'whatsapp',
        content,
      });
    }
    return c.id;
  }

  beforeAll(async () => {
    t = await startTestApp('conv_api', { env: { PUBLIC_CHAT_RATE_LIMIT_PER_MINUTE: '1000' } });
    service = t.app.get(ConversationsService);
    a = await seedWorkspace(t, { name: 'A' });
    b = await seedWorkspace(t, { name: 'B' });
    publicIdA = (await t.app.get(ChatbotsService).get(a.workspaceId, a.chatbotId)).publicId;

    ids.ana = await whatsappConversation(a, ANA, 'Ana Pérez', [
      'Hola, quiero saber el precio del plan',
    ]);
    // A profile name that is the number itself, and a message quoting it: both must come out masked.
    ids.beto = await whatsappConversation(a, BETO, `+${BETO}`, [`mi número es +52 155 8765 4321`]);
    ids.carla = await whatsappConversation(a, CARLA, undefined, ['Do you ship to Canada?']);
    const reply = await service.addMessage({
      workspaceId: a.workspaceId,
      conversationId: ids.ana,
      role: 'assistant',
      channel: 'whatsapp',
      content: 'El plan cuesta 10 USD',
      deliveryStatus: 'pending',
      externalMessageId: 'wamid.api.1',
    });
    ids.anaReply = reply.id;
    await service.setDeliveryStatus(
      { workspaceId: a.workspaceId, phoneNumberId: 'pn-1' },
      'wamid.api.1',
      'failed',
      {
        at: new Date(),
        errorCode: 131047,
        errorType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
        errorReason: 'More than 24 hours have passed since the customer last wrote',
      },
    );
    // The same number in workspace B: erasure in A must not touch it.
    ids.anaInB = await whatsappConversation(b, ANA, 'Ana en B', ['hola B']);
  });
  afterAll(() => t.close());

  describe('POST /api/v1/public/chatbots/:publicId/messages (the web channel)', () => {
    let first: PublicChatResponse;

    it("creates a web conversation with the visitor's message and the bot's answer", async () => {
      const res = await request(t.app.getHttpServer())
        .post(`/api/v1/public/chatbots/${publicIdA}/messages`)
        .send({ content: '¿Cuál es su horario?' })
        .expect(200);
      first = res.body as PublicChatResponse;
      expect(first.sessionId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
      // The rules responder greets on the first turn, then answers the FAQ.
      expect(first.reply?.content).toContain('Abrimos de 9 a 18.');

      const list = page(
        await a.admin.get('/api/v1/conversations?channel=web').expect(200).expect(noFullNumbers),
      );
      expect(list.items).toHaveLength(1);
      const web = list.items[0];
      expect(web).toMatchObject({ channel: 'web', maskedPhone: null, messageCount: 2 });
      expect(web?.lastMessagePreview).toContain('Abrimos de 9 a 18.');
      ids.web = web?.id ?? '';
      const stored = await service.getConversation(a.workspaceId, ids.web);
      expect(stored.visitorIp).toMatch(/127\.0\.0\.1/);
      const thread = (await a.admin.get(`/api/v1/conversations/${ids.web}/messages`).expect(200))
        .body as MessagePage;
      expect(thread.items.map((m) => [m.role, m.content, m.deliveryStatus])).toEqual([
        ['user', '¿Cuál es su horario?', null],
        ['assistant', first.reply?.content, null],
      ]);
    });

    it('continues the conversation of a returned sessionId', async () => {
      const res = await request(t.app.getHttpServer())
        .post(`/api/v1/public/chatbots/${publicIdA}/messages`)
        .send({ sessionId: first.sessionId, content: 'gracias' })
        .expect(200);
      expect((res.body as PublicChatResponse).sessionId).toBe(first.sessionId);
      expect((await service.getConversation(a.workspaceId, ids.web ?? '')).messageCount).toBe(4);
    });

    it('answers 404 for an unknown chatbot and for one whose public chat is off', async () => {
      const server = t.app.getHttpServer();
      await request(server)
        .post('/api/v1/public/chatbots/nope/messages')
        .send({ content: 'hola' })
        .expect(404);
      const bPublicId = (await t.app.get(ChatbotsService).get(b.workspaceId, b.chatbotId)).publicId;
      await t.app
        .get(ChatbotsService)
        .update(systemAuth(b.workspaceId), b.chatbotId, { publicChatEnabled: false });
      const res = await request(server)
        .post(`/api/v1/public/chatbots/${bPublicId}/messages`)
        .send({ content: 'hola' });
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('NOT_FOUND');
    });

    it('refuses empty, blank and over-long content and a malformed sessionId', async () => {
      const server = t.app.getHttpServer();
      const url = `/api/v1/public/chatbots/${publicIdA}/messages`;
      for (const body of [
        {},
        { content: '   ' },
        { content: 'x'.repeat(2001) },
        { content: 'hola', sessionId: 'a/b' },
      ]) {
        const res = await request(server).post(url).send(body).expect(400);
        expect(res.body.error).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('GET /api/v1/conversations', () => {
    it('requires sign-in', async () => {
      await request(t.app.getHttpServer()).get('/api/v1/conversations').expect(401);
    });

    it('lists every channel, newest first, with masked numbers only', async () => {
      const list = page(
        await a.agent.get('/api/v1/conversations').expect(200).expect(noFullNumbers),
      );
      expect(list.items.map((i) => i.channel).sort()).toEqual([
        'web',
        'whatsapp',
        'whatsapp',
        'whatsapp',
      ]);
      const times = list.items.map((i) => Date.parse(i.lastMessageAt));
      expect([...times].sort((x, y) => y - x)).toEqual(times);
      const ana = list.items.find((i) => i.id === ids.ana);
      expect(ana).toMatchObject({
        maskedPhone: '•••• 5678',
        visitorLabel: '•••• 5678',
        contactName: 'Ana Pérez',
      });
      const beto = list.items.find((i) => i.id === ids.beto);
      expect(beto).toMatchObject({ maskedPhone: '•••• 4321', contactName: '•••• 4321' });
      expect(beto?.lastMessagePreview).toBe('mi número es •••• 4321');
      expect(JSON.stringify(list)).not.toMatch(/visitorId|sessionId|visitorIp/);
    });

    it('filters by channel and counts per channel', async () => {
      const whatsapp = page(
        await a.admin
          .get('/api/v1/conversations?channel=whatsapp')
          .expect(200)
          .expect(noFullNumbers),
      );
      expect(whatsapp.items).toHaveLength(3);
      expect(whatsapp.items.every((i) => i.channel === 'whatsapp')).toBe(true);
      const telegram = page(
        await a.admin.get('/api/v1/conversations?channel=telegram').expect(200),
      );
      expect(telegram.items).toEqual([]);
      const counts = (await a.admin.get('/api/v1/conversations/counts').expect(200))
        .body as ConversationCounts;
      expect(counts).toEqual({
        all: 4,
        web: 1,
        whatsapp: 3,
        telegram: 0,
        states: { open: 4, pending: 0, closed: 0 },
        mine: 0,
        unassigned: 4,
        waiting: 0,
      });
      const forBot = (
        await a.admin.get(`/api/v1/conversations/counts?chatbotId=${a.chatbotId}`).expect(200)
      ).body as ChannelCounts;
      expect(forBot).toEqual(counts);
      const otherBot = (
        await a.admin.get(`/api/v1/conversations/counts?chatbotId=${b.chatbotId}`).expect(200)
      ).body as ChannelCounts;
      expect(otherBot).toMatchObject({ all: 0, web: 0, whatsapp: 0, telegram: 0, mine: 0 });
      await a.admin.get('/api/v1/conversations?channel=fax').expect(400);
      // Regression: a NUL in the search text reached the database and answered 500.
      const nul = await a.admin.get('/api/v1/conversations?q=%00').expect(400);
      expect(nul.body.details.fields).toEqual([
        expect.objectContaining({ field: 'q', code: 'pattern' }),
      ]);
    });

    it('searches contact names and message text, literally and case-insensitively', async () => {
      const byName = page(
        await a.admin.get('/api/v1/conversations?q=ana%20p%C3%89REZ').expect(200),
      );
      expect(byName.items.map((i) => i.id)).toEqual([ids.ana]);
      const byText = page(
        await a.admin.get('/api/v1/conversations?q=CANADA').expect(200).expect(noFullNumbers),
      );
      expect(byText.items.map((i) => i.id)).toEqual([ids.carla]);
      const byBotText = page(await a.admin.get('/api/v1/conversations?q=abrimos').expect(200));
      expect(byBotText.items.map((i) => i.id)).toEqual([ids.web]);
      const special = page(
        await a.admin.get(`/api/v1/conversations?q=${encodeURIComponent('(.*')}`).expect(200),
      );
      expect(special.items).toEqual([]);
      const otherWorkspace = page(await b.admin.get('/api/v1/conversations?q=canada').expect(200));
      expect(otherWorkspace.items).toEqual([]);
    });

    it('searches without accents or case, by the shown last digits and by the web visitor label', async () => {
      const find = async (q: string): Promise<string[]> =>
        page(
          await a.admin
            .get(`/api/v1/conversations?q=${encodeURIComponent(q)}`)
            .expect(200)
            .expect(noFullNumbers),
        ).items.map((i) => i.id);
      const jose = await whatsappConversation(a, '34600113456', 'José Núñez', [
        'Vi un pingüino en la playa',
      ]);
      expect(await find('jose')).toEqual([jose]);
      expect(await find('JOSÉ nun')).toEqual([jose]);
      expect(await find('pinguino')).toEqual([jose]);
      expect(await find('PINGÜINO')).toEqual([jose]);
      // The list shows "•••• 3456": those digits find it; hidden digits of the number do not.
      expect(await find('3456')).toEqual([jose]);
      expect(await find('346001')).toEqual([]);
      const web = (await service.getConversation(a.workspaceId, ids.web)).visitorId;
      const label = web.replace(/[^A-Za-z0-9]/g, '').slice(-6);
      expect(await find(label.toLowerCase())).toEqual([ids.web]);
      // A renamed contact is found by the new name only.
      await service.findOrCreate({
        workspaceId: a.workspaceId,
        chatbotId: a.chatbotId,
        channel: 'whatsapp',
        sessionId: 'pn-1:34600113456',
        visitorId: '34600113456',
        contactName: 'Pepe',
      });
      expect(await find('jose')).toEqual([]);
      expect(await find('pepe')).toEqual([jose]);
      expect(await find('pinguino')).toEqual([jose]);
      // Erasure forgets the terms too.
      await service.eraseContact(a.workspaceId, 'whatsapp', '34600113456');
      expect(await find('pinguino')).toEqual([]);
      expect(
        await t.connection
          .collection('search_terms')
          .countDocuments({ conversationId: new Types.ObjectId(jose) }),
      ).toBe(0);
    });

    it('pages with a cursor: no duplicates or gaps while new messages arrive', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        const path: string = `/api/v1/conversations?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const res = page(await a.admin.get(path).expect(200));
        seen.push(...res.items.map((i) => i.id));
        // A message to a conversation already seen moves it to the top, behind the cursor.
        await service.addMessage({
          workspaceId: a.workspaceId,
          conversationId: seen[0] ?? '',
          role: 'user',
          channel: 'whatsapp',
          content: `nuevo ${round++}`,
        });
        cursor = res.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(4);
      await a.admin.get('/api/v1/conversations?cursor=not-a-cursor').expect(400);
      const capped = page(await a.admin.get('/api/v1/conversations?limit=5000').expect(200));
      expect(capped.items).toHaveLength(4);
    });
  });

  describe('GET /api/v1/conversations/:id/messages', () => {
    it('shows the delivery status and the failure reason of assistant messages', async () => {
      const thread = (
        await a.agent
          .get(`/api/v1/conversations/${ids.ana}/messages`)
          .expect(200)
          .expect(noFullNumbers)
      ).body as MessagePage;
      const reply = thread.items.find((m) => m.id === ids.anaReply);
      expect(reply).toMatchObject({
        role: 'assistant',
        deliveryStatus: 'failed',
        failureType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
        failureReason: 'More than 24 hours have passed since the customer last wrote',
      });
      const beto = (
        await a.agent
          .get(`/api/v1/conversations/${ids.beto}/messages`)
          .expect(200)
          .expect(noFullNumbers)
      ).body as MessagePage;
      expect(beto.items[0]?.content).toBe('mi número es •••• 4321');
    });

    it('pages back in time, oldest first within a page', async () => {
      const c = await whatsappConversation(a, CARLA, undefined, []);
      for (let i = 0; i < 5; i++) {
        await service.addMessage({
          workspaceId: a.workspaceId,
          conversationId: c,
          role: 'user',
          channel: 'whatsapp',
          content: `p${i}`,
          createdAt: new Date(Date.now() + 60_000 + i * 1000),
        });
      }
      const newest = (await a.admin.get(`/api/v1/conversations/${c}/messages?limit=2`).expect(200))
        .body as MessagePage;
      expect(newest.items.map((m) => m.content)).toEqual(['p3', 'p4']);
      const older = (
        await a.admin
          .get(`/api/v1/conversations/${c}/messages?limit=2&cursor=${newest.nextCursor}`)
          .expect(200)
      ).body as MessagePage;
      expect(older.items.map((m) => m.content)).toEqual(['p1', 'p2']);
    });
  });

  describe('PATCH /api/v1/conversations/:id', () => {
    it('favorites, closes and reopens', async () => {
      const fav = await a.agent
        .patch(`/api/v1/conversations/${ids.carla}`, { isFavorite: true })
        .expect(200);
      expect(fav.body).toMatchObject({ isFavorite: true, status: 'open', endedAt: null });
      const favorites = page(await a.admin.get('/api/v1/conversations?favorite=true').expect(200));
      expect(favorites.items.map((i) => i.id)).toEqual([ids.carla]);

      const closed = await a.admin
        .patch(`/api/v1/conversations/${ids.carla}`, { status: 'closed' })
        .expect(200);
      expect(closed.body.status).toBe('closed');
      expect(Date.parse(closed.body.endedAt)).not.toBeNaN();
      const closedList = page(await a.admin.get('/api/v1/conversations?status=closed').expect(200));
      expect(closedList.items.map((i) => i.id)).toEqual([ids.carla]);
      const notFavorites = page(
        await a.admin.get('/api/v1/conversations?favorite=false').expect(200),
      );
      expect(notFavorites.items.map((i) => i.id)).not.toContain(ids.carla);

      const reopened = await a.admin
        .patch(`/api/v1/conversations/${ids.carla}`, { status: 'open' })
        .expect(200);
      expect(reopened.body).toMatchObject({ status: 'open', endedAt: null });
      expect(reopened.text).not.toContain(CARLA);
    });

    it('rejects unknown fields and bad values', async () => {
      await a.admin.patch(`/api/v1/conversations/${ids.carla}`, { visitorId: '1' }).expect(400);
      await a.admin.patch(`/api/v1/conversations/${ids.carla}`, { status: 'archived' }).expect(400);
      await a.admin.get('/api/v1/conversations?favorite=maybe').expect(400);
    });
  });

  describe('workspace isolation', () => {
    it("answers 404 for another workspace's conversation and never lists it", async () => {
      for (const path of [
        `/api/v1/conversations/${ids.ana}`,
        `/api/v1/conversations/${ids.ana}/messages`,
      ]) {
        const res = await b.admin.get(path).expect(404);
        expect(res.body.error).toBe('NOT_FOUND');
      }
      await b.admin.patch(`/api/v1/conversations/${ids.ana}`, { isFavorite: true }).expect(404);
      await b.admin.get('/api/v1/conversations/not-an-id').expect(404);
      const list = page(
        await b.admin.get('/api/v1/conversations').expect(200).expect(noFullNumbers),
      );
      expect(list.items.map((i) => i.id)).toEqual([ids.anaInB]);
      const counts = (await b.admin.get('/api/v1/conversations/counts').expect(200))
        .body as ConversationCounts;
      expect(counts).toMatchObject({ all: 1, web: 0, whatsapp: 1, telegram: 0 });
      expect(counts.states).toEqual({ open: 1, pending: 0, closed: 0 });
      expect((await service.getConversation(a.workspaceId, ids.ana ?? '')).isFavorite).toBe(false);
    });
  });

  describe('/api/v1/contacts/:channel/:visitorId (export and erasure)', () => {
    it('is for admins only', async () => {
      await a.agent.get(`/api/v1/contacts/whatsapp/${ANA}`).expect(403);
      await a.agent.delete(`/api/v1/contacts/whatsapp/${ANA}`).expect(403);
      await request(t.app.getHttpServer()).get(`/api/v1/contacts/whatsapp/${ANA}`).expect(401);
      await a.admin.get(`/api/v1/contacts/fax/${ANA}`).expect(400);
    });

    it('exports every conversation and message of one visitor, masked', async () => {
      const res = await a.admin
        .get(`/api/v1/contacts/whatsapp/${ANA}`)
        .expect(200)
        .expect(noFullNumbers);
      const data = res.body as ContactExport;
      expect(data.maskedPhone).toBe('•••• 5678');
      expect(data.conversations.map((c) => c.id)).toEqual([ids.ana]);
      expect(data.conversations[0]?.messages.map((m) => m.content)).toEqual(
        expect.arrayContaining(['Hola, quiero saber el precio del plan', 'El plan cuesta 10 USD']),
      );
    });

    it('erases everything of one visitor and nothing of others, and audits both', async () => {
      const res = await a.admin
        .delete(`/api/v1/contacts/whatsapp/${ANA}`)
        .expect(200)
        .expect(noFullNumbers);
      expect(res.body.conversationsDeleted).toBe(1);
      expect(res.body.messagesDeleted).toBeGreaterThanOrEqual(2);
      await a.admin.get(`/api/v1/conversations/${ids.ana}`).expect(404);
      await expect(service.getMessage(a.workspaceId, ids.anaReply ?? '')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      // Others in A, and the same number in B, are untouched.
      await a.admin.get(`/api/v1/conversations/${ids.beto}`).expect(200);
      await b.admin.get(`/api/v1/conversations/${ids.anaInB}`).expect(200);
      expect((await service.recentHistory(b.workspaceId, ids.anaInB ?? '', 10)).length).toBe(1);
      // Once erased, the workspace no longer knows the person.
      await a.admin.delete(`/api/v1/contacts/whatsapp/${ANA}`).expect(404);

      const audit = await a.admin.get('/api/v1/audit-log').expect(200).expect(noFullNumbers);
      const actions = (
        audit.body.items as { action: string; target: { id: string } | null }[]
      ).filter((e) => e.action.startsWith('contact.'));
      expect(actions.map((e) => e.action)).toEqual(
        expect.arrayContaining(['contact.export', 'contact.erase']),
      );
      // Erasure also takes the person's (masked) label off earlier entries.
      expect(actions.map((e) => e.target?.id)).toEqual(['whatsapp:erased', 'whatsapp:erased']);
    });
  });
});

describe('the public chat rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('conv_ratelimit', { env: { PUBLIC_CHAT_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(() => t.close());

  it('answers 429 TOO_MANY_REQUESTS past the per-IP limit', async () => {
    const ws = await seedWorkspace(t);
    const publicId = (await t.app.get(ChatbotsService).get(ws.workspaceId, ws.chatbotId)).publicId;
    const url = `/api/v1/public/chatbots/${publicId}/messages`;
    const server = t.app.getHttpServer();
    await request(server).post(url).send({ content: 'uno' }).expect(200);
    await request(server).post(url).send({ content: 'dos' }).expect(200);
    const res = await request(server).post(url).send({ content: 'tres' }).expect(429);
    expect(res.body.error).toBe('TOO_MANY_REQUESTS');
  });
});

describe('the public chat limit on new conversations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('conv_newlimit', {
      env: {
        PUBLIC_CHAT_RATE_LIMIT_PER_MINUTE: '1000',
        PUBLIC_CHAT_NEW_CONVERSATIONS_PER_HOUR: '2',
      },
    });
  });
  afterAll(() => t.close());

  it('limits conversations started per IP, made-up session ids included, but not replies in one', async () => {
    const ws = await seedWorkspace(t);
    const publicId = (await t.app.get(ChatbotsService).get(ws.workspaceId, ws.chatbotId)).publicId;
    const url = `/api/v1/public/chatbots/${publicId}/messages`;
    const server = t.app.getHttpServer();
    const first = await request(server).post(url).send({ content: 'uno' }).expect(200);
    await request(server)
      .post(url)
      .send({ content: 'dos', sessionId: 'made-up-session-0001' })
      .expect(200);
    const refused = await request(server).post(url).send({ content: 'tres' }).expect(429);
    expect(refused.body).toMatchObject({
      error: 'TOO_MANY_REQUESTS',
      details: { reason: 'NEW_CONVERSATIONS' },
    });
    await request(server)
      .post(url)
      .send({ content: 'cuatro', sessionId: 'made-up-session-0002' })
      .expect(429);
    // The conversations already started go on.
    await request(server)
      .post(url)
      .send({ content: 'sigo', sessionId: (first.body as PublicChatResponse).sessionId })
      .expect(200);
    expect(await t.connection.collection('conversations').countDocuments({ channel: 'web' })).toBe(
      2,
    );
  });
});
