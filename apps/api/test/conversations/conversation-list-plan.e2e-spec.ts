import type { Document } from 'mongodb';
import type { Actor } from '../../src/common/actor';
import { workspaceIdOf } from '../../src/common/workspace-id';
import { ConversationsService } from '../../src/conversations/conversations.service';
import { startTestApp, TestApp } from '../support/test-app';

const WS = workspaceIdOf('e'.repeat(24));
const BOT = 'f0'.repeat(12);
const USER = 'a9'.repeat(12);

type Engine = 'mongodb' | 'ferretdb' | 'mongo-java-server';

/** Every `stage` of a MongoDB plan tree. */
function stagesOf(plan: Document | undefined): string[] {
  if (!plan) return [];
  const children = [
    plan.inputStage as Document | undefined,
    ...((plan.inputStages as Document[] | undefined) ?? []),
    plan.queryPlan as Document | undefined,
  ];
  return [String(plan.stage ?? ''), ...children.flatMap((c) => stagesOf(c))].filter(Boolean);
}

/**
 * The list's queries, as the repository sends them, each explained on the production index set
 * (the migrations'). Which engine checks what:
 * - MongoDB (tests pointed at one with MONGODB_URI): the winning plan scans an index (IXSCAN), never
 *   the collection (COLLSCAN), and needs no in-memory SORT: the page comes in index order.
 * - FerretDB (the embedded default, CI's first run): its explain is SQLite's plan; every step on
 *   the conversations table is an index SEARCH, none a full SCAN, and the filter is pushed down.
 * - mongo-java-server (CI's second engine) has no explain command: the test asserts exactly that,
 *   so that the day it gains one, this test fails and asks for the check.
 */
describe('conversation list: index-served filters (explain on the production index set)', () => {
  let t: TestApp;
  let service: ConversationsService;
  let engine: Engine;
  /** The finds on conversations as mongoose sends them (filter cast, options with sort/limit). */
  const finds: { filter: Document; options: Document }[] = [];
  const record = (collection: string, method: string, ...args: unknown[]): void => {
    if (collection === 'conversations' && method === 'find') {
      finds.push({ filter: args[0] as Document, options: (args[1] ?? {}) as Document });
    }
  };

  beforeAll(async () => {
    t = await startTestApp('conv_list_plan');
    service = t.app.get(ConversationsService);
    const db = t.connection.db;
    if (!db) throw new Error('no db handle');
    const info = await db.admin().command({ buildInfo: 1 });
    const probe = await db
      .command({ explain: { find: 'conversations', filter: {} }, verbosity: 'queryPlanner' })
      .then(() => true)
      .catch((err: { code?: number }) => {
        if (err.code === 59) return false; // CommandNotFound
        throw err;
      });
    engine = 'ferretdbVersion' in info ? 'ferretdb' : probe ? 'mongodb' : 'mongo-java-server';
    const actor: Actor = {
      workspaceId: WS,
      userId: USER,
      apiKeyId: null,
      role: 'admin',
      ip: '::1',
    };
    for (let i = 0; i < 45; i++) {
      const c = await service.findOrCreate({
        workspaceId: WS,
        chatbotId: BOT,
        channel: i % 3 ? 'whatsapp' : 'web',
        sessionId: `plan-${i}`,
        visitorId: `plan-${i}`,
      });
      if (i % 4 === 0) await service.close(actor, c.id);
      if (i % 5 === 0) await service.take(actor, c.id);
    }
    t.connection.set('debug', record);
  });
  afterAll(async () => {
    t.connection.set('debug', false);
    await t.close();
  });

  /** The find commands one list call sends (a page, and the page after it when there is one). */
  async function findsOf(
    query: Parameters<ConversationsService['list']>[1],
    viewerId: string | null = null,
  ): Promise<Document[]> {
    finds.length = 0;
    const first = await service.list(WS, { ...query, limit: 10 }, viewerId);
    expect(first.items.length).toBeGreaterThan(0);
    if (first.nextCursor) {
      await service.list(WS, { ...query, limit: 10, cursor: first.nextCursor }, viewerId);
    }
    return finds.map(({ filter, options }) => ({
      find: 'conversations',
      filter,
      sort: options.sort as Document,
      limit: options.limit as number,
    }));
  }

  async function explain(cmd: Document): Promise<Document> {
    const db = t.connection.db;
    if (!db) throw new Error('no db handle');
    return db.command({ explain: cmd, verbosity: 'queryPlanner' });
  }

  const shapes: [string, Parameters<ConversationsService['list']>[1], string | null][] = [
    ['the whole workspace', {}, null],
    ['one channel', { channel: 'whatsapp' }, null],
    ['one chatbot', { chatbotId: BOT }, null],
    ['one chatbot and channel', { chatbotId: BOT, channel: 'web' }, null],
    ['one state', { status: 'open' }, null],
    ['the unassigned', { assignee: 'unassigned' }, null],
    ['mine', { assignee: 'mine' }, USER],
  ];

  it.each(shapes)('first and cursor page of %s use an index', async (_label, query, viewer) => {
    const commands = await findsOf(query, viewer);
    expect(commands.length).toBeGreaterThanOrEqual(1);
    // The whole workspace has a second page: its cursor query is among those explained.
    if (Object.keys(query).length === 0) {
      expect(commands.some((c) => '$and' in (c.filter as Document))).toBe(true);
    }
    for (const cmd of commands) {
      if (engine === 'mongo-java-server') {
        await expect(explain(cmd)).rejects.toMatchObject({ code: 59 });
        continue;
      }
      const plan = await explain(cmd);
      if (engine === 'mongodb') {
        const winning = (plan.queryPlanner as Document).winningPlan as Document;
        const stages = stagesOf(winning);
        expect(stages).toContain('IXSCAN');
        expect(stages).not.toContain('COLLSCAN');
        expect(stages).not.toContain('SORT');
      } else {
        expect(plan.filterPushdown).toBe(true);
        const steps = ((plan.queryPlanner as Document).Plan as string[]).filter((line) =>
          /conversations_/.test(line),
        );
        expect(steps.length).toBeGreaterThan(0);
        for (const step of steps) expect(step).toMatch(/detail=SEARCH \S+ USING (INDEX|INTEGER)/);
      }
    }
  });

  it('names the engine that checked the plans', () => {
    // The embedded engines this suite runs on in CI; MongoDB when pointed at one.
    expect(['ferretdb', 'mongo-java-server', 'mongodb']).toContain(engine);
    if (process.env.EMBEDDED_DB === 'mongo-java-server') expect(engine).toBe('mongo-java-server');
    else if (!process.env.MONGODB_URI) expect(engine).toBe('ferretdb');
  });
});
