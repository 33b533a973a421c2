import type { ConversationCounts } from '@conecta/contracts';
import { ObjectId } from 'mongodb';
import type { Actor } from '../../src/common/actor';
import { type WorkspaceId, workspaceIdOf } from '../../src/common/workspace-id';
import { ConversationCountersRepository } from '../../src/conversations/conversation-counters.repository';
import { countsFromCounters, counterKeys } from '../../src/conversations/conversation-counts';
import { ConversationsService } from '../../src/conversations/conversations.service';
import { m0023ConversationCounters } from '../../src/database/migrations/0023-conversation-counters';
import { startTestApp, TestApp } from '../support/test-app';

const BOT_A = 'a1'.repeat(12);
const BOT_B = 'b2'.repeat(12);
const USER_1 = 'u1'.repeat(12);
const USER_2 = 'u2'.repeat(12);
const DAY = 24 * 60 * 60 * 1000;

let nextWorkspace = 1;
/** A workspace of its own per test: its counts start at zero. */
function freshWorkspace(): WorkspaceId {
  return workspaceIdOf((nextWorkspace++).toString(16).padStart(24, 'c'));
}

describe('conversation counters (decision 0023) stay equal to a real count', () => {
  let t: TestApp;
  let service: ConversationsService;
  beforeAll(async () => {
    t = await startTestApp('conv_counters', {
      env: { MESSAGE_RETENTION_DAYS: '30', MESSAGE_RETENTION_BATCH_SIZE: '10' },
    });
    service = t.app.get(ConversationsService);
  });
  afterAll(() => t.close());

  const actor = (workspaceId: WorkspaceId, userId: string | null = USER_1): Actor => ({
    workspaceId,
    userId,
    apiKeyId: null,
    role: 'admin',
    ip: '127.0.0.1',
  });

  const open = (
    workspaceId: WorkspaceId,
    sessionId: string,
    channel: 'web' | 'whatsapp' | 'telegram' = 'web',
    chatbotId = BOT_A,
  ) => service.findOrCreate({ workspaceId, chatbotId, channel, sessionId, visitorId: sessionId });

  /** The counts computed from the conversations themselves, the way the aggregation did. */
  async function realCounts(
    workspaceId: WorkspaceId,
    chatbotId?: string,
    viewerId: string | null = USER_1,
  ): Promise<ConversationCounts> {
    const docs = await t.connection
      .collection('conversations')
      .find({ workspaceId: new ObjectId(workspaceId) })
      .toArray();
    const counters = new Map<string, number>();
    for (const d of docs) {
      const keys = counterKeys({
        chatbotId: String(d.chatbotId),
        channel: String(d.channel),
        status: String(d.status),
        assigneeId: (d.assigneeId as string | null) ?? null,
      });
      for (const k of keys) counters.set(k, (counters.get(k) ?? 0) + 1);
    }
    return countsFromCounters(counters, chatbotId, viewerId);
  }

  async function expectExact(workspaceId: WorkspaceId): Promise<ConversationCounts> {
    const counts = await service.counts(workspaceId, undefined, USER_1);
    expect(counts).toEqual(await realCounts(workspaceId));
    for (const bot of [BOT_A, BOT_B]) {
      expect(await service.counts(workspaceId, bot, USER_2)).toEqual(
        await realCounts(workspaceId, bot, USER_2),
      );
    }
    return counts;
  }

  it('counts new conversations per channel and chatbot, once each however often they are upserted', async () => {
    const ws = freshWorkspace();
    await open(ws, 'w1');
    await open(ws, 'w1');
    await open(ws, 'w2', 'whatsapp');
    await open(ws, 'w3', 'telegram', BOT_B);
    await Promise.all(Array.from({ length: 5 }, () => open(ws, 'same-session', 'whatsapp')));
    const counts = await expectExact(ws);
    expect(counts).toMatchObject({ all: 4, web: 1, whatsapp: 2, telegram: 1, unassigned: 4 });
    expect(counts.states).toEqual({ open: 4, pending: 0, closed: 0 });
  });

  it('follows close, reopen, take, hand-off, assignment and the bot taking a conversation back', async () => {
    const ws = freshWorkspace();
    const a = await open(ws, 's-a');
    const b = await open(ws, 's-b', 'whatsapp');
    const c = await open(ws, 's-c', 'web', BOT_B);
    await service.close(actor(ws), a.id);
    expect((await expectExact(ws)).states).toEqual({ open: 2, pending: 0, closed: 1 });
    await service.take(actor(ws), a.id); // a closed conversation taken: pending, mine
    expect(await expectExact(ws)).toMatchObject({ mine: 1, unassigned: 2 });
    await service.handOff(ws, b.id, 'keyword');
    expect(await expectExact(ws)).toMatchObject({ waiting: 1 });
    await service.take(actor(ws, USER_2), b.id);
    expect(await expectExact(ws)).toMatchObject({ waiting: 0, mine: 1 });
    await service.reopen(actor(ws), a.id);
    await service.setBot(actor(ws), b.id, false, null); // the bot resumes: pending → open
    await service.handOff(ws, c.id, 'keyword');
    // A pause that has run out: the bot takes the pending conversation back (pending → open).
    await service.setBot(actor(ws), c.id, true, new Date(Date.now() - 60_000));
    expect(await service.botMayAnswer(ws, c.id)).toBe(true);
    await service.update(actor(ws), c.id, { isFavorite: true });
    const counts = await expectExact(ws);
    expect(counts.states).toEqual({ open: 3, pending: 0, closed: 0 });
  });

  it('counts a closed conversation as open again when the customer writes to it', async () => {
    const ws = freshWorkspace();
    const c = await open(ws, 'reopen-by-message', 'whatsapp');
    await service.close(actor(ws), c.id);
    expect((await expectExact(ws)).states.closed).toBe(1);
    const closed = await service.getConversation(ws, c.id);
    await service.addMessage(
      { workspaceId: ws, conversationId: c.id, role: 'user', channel: 'whatsapp', content: 'hola' },
      closed,
    );
    expect((await expectExact(ws)).states).toEqual({ open: 1, pending: 0, closed: 0 });
  });

  it('drops erased and expired conversations from the counts', async () => {
    const ws = freshWorkspace();
    await open(ws, '5215511111111', 'whatsapp');
    const kept = await open(ws, 'kept');
    const old = await open(ws, 'old', 'web', BOT_B);
    await service.close(actor(ws), old.id);
    await service.addMessage({
      workspaceId: ws,
      conversationId: old.id,
      role: 'assistant',
      channel: 'web',
      content: 'long ago',
      createdAt: new Date(Date.now() - 40 * DAY),
    });
    await service.addMessage({
      workspaceId: ws,
      conversationId: kept.id,
      role: 'user',
      channel: 'web',
      content: 'today',
    });
    expect((await expectExact(ws)).all).toBe(3);
    await service.eraseContact(ws, 'whatsapp', '5215511111111');
    expect(await expectExact(ws)).toMatchObject({ all: 2, whatsapp: 0 });
    const purged = await service.purgeOlderThan(new Date(Date.now() - 30 * DAY), 10);
    expect(purged.conversationsDeleted).toBeGreaterThanOrEqual(1);
    const counts = await expectExact(ws);
    expect(counts).toMatchObject({ all: 1, web: 1 });
    expect(counts.states).toEqual({ open: 1, pending: 0, closed: 0 });
  });

  it('stays exact under concurrent changes of the same conversations', async () => {
    const ws = freshWorkspace();
    const convs = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        open(ws, `race-${i}`, i % 2 ? 'whatsapp' : 'web', i % 3 ? BOT_A : BOT_B),
      ),
    );
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        convs.flatMap((c, i) => [
          service.close(actor(ws), c.id),
          service.take(actor(ws, i % 2 ? USER_1 : USER_2), c.id),
          service.handOff(ws, c.id, 'keyword'),
          service.reopen(actor(ws), c.id),
          service.assign(actor(ws), c.id, null).catch(() => undefined),
          open(ws, `race-new-${round}-${i}`, 'telegram'),
        ]),
      );
      await expectExact(ws);
    }
    expect((await service.counts(ws)).all).toBe(6 + 3 * 6);
  });

  it('counts a transition once when its counters are settled again (a retried write)', async () => {
    const ws = freshWorkspace();
    const c = await open(ws, 'retried');
    await service.close(actor(ws), c.id);
    const counters = t.app.get(ConversationCountersRepository);
    const closed = { chatbotId: BOT_A, channel: 'web', status: 'closed', assigneeId: null };
    const current = () => Promise.resolve(closed);
    await Promise.all([
      counters.settle(ws, c.id, current, { state: closed }),
      counters.settle(ws, c.id, current),
      counters.settle(ws, c.id, current, { state: closed, created: true }),
    ]);
    expect((await expectExact(ws)).states).toEqual({ open: 0, pending: 0, closed: 1 });
  });

  it('folds its deltas into a snapshot, and counts read during the folds stay exact', async () => {
    const ws = freshWorkspace();
    const convs = [];
    for (let i = 0; i < 30; i++)
      convs.push(await open(ws, `fold-${i}`, i % 2 ? 'web' : 'whatsapp'));
    // 30 creations plus 2 × 30 × 4 state changes: past the fold threshold several times.
    for (let round = 0; round < 2; round++) {
      for (const c of convs) {
        await service.close(actor(ws), c.id);
        await service.take(actor(ws), c.id);
        await service.reopen(actor(ws), c.id);
        await service.handOff(ws, c.id, 'keyword');
      }
      const [x, y] = await Promise.all([service.counts(ws), service.counts(ws)]);
      expect(x).toEqual(y);
      await expectExact(ws);
    }
    const snapshots = await t.connection
      .collection('conversation_counts')
      .find({ workspaceId: new ObjectId(ws) })
      .toArray();
    // The workspace began after the migration: its first snapshot is a fold's.
    expect(snapshots.length).toBeGreaterThan(0);
    expect(snapshots.every((s) => (s.folded as string[]).length > 0)).toBe(true);
    const pending = await t.connection.collection('conversation_tallies').countDocuments({
      pending: ws,
    });
    expect(pending).toBeLessThan(100);
    expect(await expectExact(ws)).toMatchObject({
      mine: 30,
      waiting: 0,
      states: { open: 0, pending: 30, closed: 0 },
    });
  });

  it('migration 0023 builds the counters of existing conversations, and drops them on down', async () => {
    const ws = freshWorkspace();
    const a = await open(ws, 'm-a');
    await open(ws, 'm-b', 'whatsapp', BOT_B);
    await service.take(actor(ws), a.id);
    // Conversations stored before the counters existed: raw inserts the counters never saw.
    await t.connection.collection('conversations').insertMany(
      ['m-raw-1', 'm-raw-2'].map((sessionId, i) => ({
        workspaceId: new ObjectId(ws),
        chatbotId: BOT_A,
        channel: 'telegram',
        sessionId,
        visitorId: sessionId,
        status: i ? 'pending' : 'closed',
        assigneeId: null,
        lastMessageAt: new Date(),
        startedAt: new Date(),
      })),
    );
    expect((await service.counts(ws)).all).toBe(2);
    const db = t.connection.db;
    if (!db) throw new Error('no db handle');
    await m0023ConversationCounters.down(db);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('conversation_tallies');
    expect(names).not.toContain('conversation_counts');
    // The list's own indexes (0007, 0013) are not the counters' to drop.
    expect(await db.collection('conversations').indexExists('workspace_status_activity')).toBe(
      true,
    );
    await m0023ConversationCounters.up(db);
    const counts = await expectExact(ws);
    expect(counts).toMatchObject({ all: 4, telegram: 2, waiting: 1, mine: 1 });
    // Changes after the migration carry on from the migrated state.
    await service.close(actor(ws), a.id);
    expect((await expectExact(ws)).mine).toBe(0);
  });
});
