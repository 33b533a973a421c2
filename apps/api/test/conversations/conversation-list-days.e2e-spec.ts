import type { ConversationListQuery } from '@conecta/contracts';
import { ObjectId } from 'mongodb';
import type { Actor } from '../../src/common/actor';
import { workspaceIdOf } from '../../src/common/workspace-id';
import { ConversationsService } from '../../src/conversations/conversations.service';
import { m0023ConversationCounters } from '../../src/database/migrations/0023-conversation-counters';
import { startTestApp, TestApp } from '../support/test-app';

const WS = workspaceIdOf('d4'.repeat(12));
const BOT = 'b7'.repeat(12);
const DAY = 24 * 60 * 60 * 1000;

describe('conversation list read day by day (decision 0023) is the same list as one sorted query', () => {
  let t: TestApp;
  let service: ConversationsService;
  beforeAll(async () => {
    t = await startTestApp('conv_list_days');
    service = t.app.get(ConversationsService);
    const actor: Actor = {
      workspaceId: WS,
      userId: null,
      apiKeyId: null,
      role: 'admin',
      ip: '::1',
    };
    const now = Date.now();
    // Activity spread over 600 days (past every window), several on one day and at one instant.
    const ages = [
      0, 0, 0, 1, 2, 3, 3, 5, 9, 17, 30, 31, 64, 100, 127, 128, 200, 254, 255, 256, 400, 600,
    ];
    for (const [i, age] of ages.entries()) {
      const c = await service.findOrCreate({
        workspaceId: WS,
        chatbotId: BOT,
        channel: i % 2 ? 'whatsapp' : 'web',
        sessionId: `days-${i}`,
        visitorId: `days-${i}`,
      });
      await service.addMessage({
        workspaceId: WS,
        conversationId: c.id,
        role: 'user',
        channel: i % 2 ? 'whatsapp' : 'web',
        content: `m${i}`,
        createdAt: new Date(i < 3 ? now - 1000 : now - age * DAY - i * 1000),
      });
      if (i % 3 === 0) await service.close(actor, c.id);
    }
    // Stored before conversations had a day (no activityDay), one of them the newest of all:
    // migration 0023 gives them theirs.
    await t.connection.collection('conversations').insertMany(
      [now + 1000, now - 40 * DAY].map((at, i) => ({
        workspaceId: new ObjectId(WS),
        chatbotId: BOT,
        channel: 'web',
        sessionId: `days-legacy-${i}`,
        visitorId: `days-legacy-${i}`,
        status: 'open',
        assigneeId: null,
        messageCount: 1,
        lastMessageAt: new Date(at),
        startedAt: new Date(at),
        createdAt: new Date(at),
        updatedAt: new Date(at),
      })),
    );
    const db = t.connection.db;
    if (!db) throw new Error('no db handle');
    await m0023ConversationCounters.up(db);
  });
  afterAll(() => t.close());

  async function expected(filter: Record<string, unknown>): Promise<string[]> {
    const docs = await t.connection
      .collection('conversations')
      .find({ workspaceId: new ObjectId(WS), ...filter })
      .sort({ lastMessageAt: -1, _id: -1 })
      .toArray();
    return docs.map((d) => (d._id as ObjectId).toHexString());
  }

  async function paged(query: ConversationListQuery): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const page = await service.list(WS, { ...query, limit: 4, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((c) => c.id));
      if (!page.nextCursor) return ids;
      cursor = page.nextCursor;
    }
    throw new Error('the list did not end');
  }

  it('pages through the whole workspace with no gap, repeat or misorder', async () => {
    const all = await expected({});
    expect(all).toHaveLength(24);
    expect(await paged({})).toEqual(all);
  });

  it('pages through one channel and one state the same way', async () => {
    expect(await paged({ channel: 'whatsapp' })).toEqual(await expected({ channel: 'whatsapp' }));
    expect(await paged({ status: 'closed' })).toEqual(await expected({ status: 'closed' }));
    expect(await paged({ status: 'open', channel: 'web' })).toEqual(
      await expected({ status: 'open', channel: 'web' }),
    );
  });
});
