import { AccountsService } from '../src/accounts/accounts.service';
import type { ChatbotRecord } from '../src/chatbots/chatbot.types';
import { ChatbotsService } from '../src/chatbots/chatbots.service';
import { RespondersService } from '../src/responders/responders.service';
import { systemAuth } from './support/auth';
import { FakeLlmServer } from './support/fake-llm';
import { startTestApp, TestApp, TestClock } from './support/test-app';

describe('RespondersService', () => {
  let t: TestApp;
  let llm: FakeLlmServer;
  let responders: RespondersService;
  let chatbots: ChatbotsService;
  let workspaceId: string;
  // Monday 2 March 2026, 21:00 in Madrid.
  const clock = new TestClock(Date.parse('2026-03-02T20:00:00.000Z'));

  beforeAll(async () => {
    llm = await FakeLlmServer.start();
    t = await startTestApp('responders', {
      clock,
      env: {
        LLM_BASE_URL: llm.baseUrl,
        LLM_MODEL: 'env-model',
        LLM_API_KEY: 'env-llm-key',
        LLM_TIMEOUT_MS: '400',
      },
    });
    responders = t.app.get(RespondersService);
    chatbots = t.app.get(ChatbotsService);
    workspaceId = (await t.app.get(AccountsService).createWorkspace('R')).id;
  });
  afterAll(async () => {
    await t.close();
    await llm.stop();
  });

  const rulesBot = (): Promise<ChatbotRecord> =>
    chatbots.create(systemAuth(workspaceId), {
      name: 'Reglas',
      language: 'es',
      welcomeMessage: '¡Bienvenido!',
      fallbackMessage: 'No sé responder eso.',
      faq: [
        { keywords: ['horario', 'opening hours'], answer: 'De 9 a 18.' },
        { keywords: ['envío', 'shipping'], answer: 'Envíos en 48 h.' },
        { keywords: ['envío express'], answer: 'Express en 24 h.' },
      ],
    });

  describe('rules', () => {
    it('answers the welcome message on a first contact', async () => {
      const bot = await rulesBot();
      const res = await responders.reply(bot, [{ role: 'user', content: 'hola' }]);
      expect(res).toEqual(expect.objectContaining({ content: '¡Bienvenido!', source: 'rules' }));
      expect(res.responseTimeMs).toBeGreaterThanOrEqual(0);
    });

    it('adds the FAQ answer when the first message already asks something known', async () => {
      const bot = await rulesBot();
      const res = await responders.reply(bot, [{ role: 'user', content: '¿Cuál es el horario?' }]);
      expect(res.content).toBe('¡Bienvenido!\n\nDe 9 a 18.');
    });

    it.each([
      ['¿Cuál es el HORARIO?', 'De 9 a 18.'],
      ['horarios por favor', 'De 9 a 18.'],
      ['What are your Opening Hours?', 'De 9 a 18.'],
      ['¿Hacen ENVIOS a Lima?', 'Envíos en 48 h.'],
      ['do you offer shipping', 'Envíos en 48 h.'],
      ['¿tienen envio express?', 'Express en 24 h.'],
    ])(
      'answers the FAQ by keyword, accent- and case-insensitively: %s',
      async (message, answer) => {
        const bot = await rulesBot();
        const history = [
          { role: 'user' as const, content: 'hola' },
          { role: 'assistant' as const, content: '¡Bienvenido!' },
          { role: 'user' as const, content: message },
        ];
        await expect(responders.reply(bot, history)).resolves.toEqual(
          expect.objectContaining({ content: answer, source: 'rules' }),
        );
      },
    );

    it('answers the fallback message otherwise, and does not match parts of words', async () => {
      const bot = await rulesBot();
      const history = [
        { role: 'user' as const, content: 'hola' },
        { role: 'assistant' as const, content: '¡Bienvenido!' },
        { role: 'user' as const, content: 'reenvíos y horariosx' },
      ];
      await expect(responders.reply(bot, history)).resolves.toEqual(
        expect.objectContaining({ content: 'No sé responder eso.', source: 'fallback' }),
      );
    });
  });

  describe('openai-compatible', () => {
    const llmBot = (
      overrides: { apiKey?: string; baseUrl?: string } = {},
    ): Promise<ChatbotRecord> =>
      chatbots.create(systemAuth(workspaceId), {
        name: 'LLM',
        instructions: 'Eres un asistente de pruebas.',
        fallbackMessage: 'Ahora no puedo responder.',
        faq: [{ keywords: ['horario'], answer: 'De 9 a 18.' }],
        responder: {
          type: 'openai-compatible',
          model: 'bot-model',
          temperature: 0.2,
          maxTokens: 200,
          ...overrides,
        },
      });
    const history = [
      { role: 'user' as const, content: 'hola' },
      { role: 'assistant' as const, content: '¡Hola!' },
      { role: 'user' as const, content: '¿me ayudas?' },
    ];

    it('streams the reply and records tokens, response time and time to first token', async () => {
      llm.willAnswer({
        kind: 'stream',
        chunks: ['Claro', ', ', 'te ayudo.'],
        firstChunkDelayMs: 60,
        chunkDelayMs: 40,
        usage: { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 },
      });
      const bot = await llmBot({ apiKey: 'sk-bot-own-key' });
      const before = llm.requests.length;
      const res = await responders.reply(bot, history);
      expect(res).toEqual(
        expect.objectContaining({ content: 'Claro, te ayudo.', source: 'llm', tokens: 35 }),
      );
      expect(res.firstTokenLatencyMs).toBeGreaterThanOrEqual(50);
      expect(res.responseTimeMs).toBeGreaterThanOrEqual((res.firstTokenLatencyMs ?? 0) + 70);

      const sent = llm.requests[before];
      expect(sent?.headers.authorization).toBe('Bearer sk-bot-own-key');
      expect(sent?.body).toEqual(
        expect.objectContaining({
          model: 'bot-model',
          stream: true,
          temperature: 0.2,
          max_tokens: 200,
        }),
      );
      expect(sent?.body.messages?.[0]).toEqual(
        expect.objectContaining({
          role: 'system',
          content: expect.stringContaining('Eres un asistente de pruebas.'),
        }),
      );
      expect(sent?.body.messages?.slice(1)).toEqual(history);
    });

    it('falls back to the environment key when the chatbot has none', async () => {
      llm.willAnswer({ kind: 'stream', chunks: ['ok'] });
      const before = llm.requests.length;
      const res = await responders.reply(await llmBot(), history);
      expect(res.source).toBe('llm');
      expect(res.tokens).toBeUndefined();
      expect(llm.requests[before]?.headers.authorization).toBe('Bearer env-llm-key');
    });

    it('never sends the server-wide LLM_API_KEY to a base URL the chatbot chose', async () => {
      const tenant = await FakeLlmServer.start();
      try {
        tenant.willAnswer({ kind: 'stream', chunks: ['ok'] });
        const res = await responders.reply(await llmBot({ baseUrl: tenant.baseUrl }), history);
        expect(res.source).toBe('llm');
        expect(tenant.requests).toHaveLength(1);
        expect(tenant.requests[0]?.headers.authorization).toBeUndefined();
        // Its own key, on the other hand, goes where the chatbot says.
        await responders.reply(
          await llmBot({ baseUrl: tenant.baseUrl, apiKey: 'sk-tenant-own' }),
          history,
        );
        expect(tenant.requests[1]?.headers.authorization).toBe('Bearer sk-tenant-own');
      } finally {
        await tenant.stop();
      }
    });

    it("does not follow a redirect of a chatbot's endpoint (each hop would escape the policy)", async () => {
      const target = await FakeLlmServer.start();
      const tenant = await FakeLlmServer.start();
      try {
        tenant.willAnswer({ kind: 'redirect', location: `${target.baseUrl}/chat/completions` });
        const res = await responders.reply(
          await llmBot({ baseUrl: tenant.baseUrl, apiKey: 'sk-tenant-own' }),
          history,
        );
        expect(res.source).toBe('fallback');
        expect(tenant.requests).toHaveLength(1);
        expect(target.requests).toHaveLength(0);
      } finally {
        await tenant.stop();
        await target.stop();
      }
    });

    it('accepts an endpoint that answers one JSON body instead of a stream', async () => {
      llm.willAnswer({ kind: 'json', content: 'Respuesta entera', totalTokens: 12 });
      await expect(responders.reply(await llmBot(), history)).resolves.toEqual(
        expect.objectContaining({ content: 'Respuesta entera', source: 'llm', tokens: 12 }),
      );
    });

    it('answers the fallback message when the endpoint times out', async () => {
      llm.willAnswer({ kind: 'hang' });
      const started = Date.now();
      const res = await responders.reply(await llmBot(), history);
      expect(res).toEqual(
        expect.objectContaining({ content: 'Ahora no puedo responder.', source: 'fallback' }),
      );
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('answers the fallback message when a stream stalls mid-way past the timeout', async () => {
      llm.willAnswer({ kind: 'stream', chunks: ['Empiezo', ' y me quedo'], chunkDelayMs: 1500 });
      const res = await responders.reply(await llmBot(), history);
      expect(res.source).toBe('fallback');
    });

    it.each([401, 429, 500])(
      'answers the fallback message when the endpoint answers %d',
      async (status) => {
        llm.willAnswer({ kind: 'status', status });
        await expect(responders.reply(await llmBot(), history)).resolves.toEqual(
          expect.objectContaining({ content: 'Ahora no puedo responder.', source: 'fallback' }),
        );
      },
    );

    it('answers the fallback message when the endpoint is unreachable', async () => {
      const res = await responders.reply(
        await llmBot({ baseUrl: 'http://127.0.0.1:9/v1' }),
        history,
      );
      expect(res.source).toBe('fallback');
    });
  });
  describe('handoff to a person', () => {
    const handoff = {
      keywords: ['agente', 'humano', 'hablar con alguien'],
      onFallback: true,
      onLlmRequest: true,
      message: 'Te paso con una persona.',
      resumeAfterMinutes: 30,
      openingHours: null,
      outsideHoursMessage: '',
    };

    it('hands off when the customer asks for a person, accent- and case-blind, before asking the LLM', async () => {
      const bot = await chatbots.create(systemAuth(workspaceId), {
        name: 'Palabras',
        handoff,
        responder: { type: 'openai-compatible', model: 'bot-model' },
      });
      const before = llm.requests.length;
      const res = await responders.reply(bot, [{ role: 'user', content: 'Quiero un AGÉNTE ya' }]);
      expect(res).toMatchObject({ content: 'Te paso con una persona.', handoff: 'keyword' });
      expect(llm.requests.length).toBe(before);
    });

    it("hands off on the rules' fallback only when configured", async () => {
      const off = await rulesBot();
      const history = [
        { role: 'user' as const, content: 'hola' },
        { role: 'assistant' as const, content: '¡Bienvenido!' },
        { role: 'user' as const, content: 'algo que no sabe' },
      ];
      expect((await responders.reply(off, history)).handoff).toBeUndefined();
      const on = await chatbots.update(systemAuth(workspaceId), off.id, { handoff });
      const res = await responders.reply(on, history);
      expect(res).toMatchObject({ content: 'Te paso con una persona.', handoff: 'fallback' });
    });

    it('hands off when the LLM answers the marker (and asks it to in the system prompt)', async () => {
      const bot = await chatbots.create(systemAuth(workspaceId), {
        name: 'LLM handoff',
        handoff,
        responder: { type: 'openai-compatible', model: 'bot-model' },
      });
      llm.willAnswer({ kind: 'stream', chunks: ['[[HAND', 'OFF]]'] });
      const res = await responders.reply(bot, [
        { role: 'user', content: 'tengo un problema raro' },
      ]);
      expect(res).toMatchObject({ content: 'Te paso con una persona.', handoff: 'llm' });
      const system = llm.requests.at(-1)?.body.messages?.[0]?.content ?? '';
      expect(system).toContain('[[HANDOFF]]');

      const ignoring = await chatbots.update(systemAuth(workspaceId), bot.id, {
        handoff: { ...handoff, onLlmRequest: false },
      });
      llm.willAnswer({ kind: 'stream', chunks: ['[[HANDOFF]]'] });
      const res2 = await responders.reply(ignoring, [{ role: 'user', content: 'otro problema' }]);
      expect(res2.handoff).toBeUndefined();
      expect(res2.content).not.toContain('[[HANDOFF]]');
    });

    it('says the outside-hours message when the team is closed, by the injected clock', async () => {
      const bot = await chatbots.create(systemAuth(workspaceId), {
        name: 'Horario',
        handoff: {
          ...handoff,
          openingHours: {
            timeZone: 'Europe/Madrid',
            weekdays: [1, 2, 3, 4, 5],
            from: '09:00',
            to: '18:00',
          },
          outsideHoursMessage:
            'Ahora estamos cerrados: te respondemos de lunes a viernes de 9 a 18 h.',
        },
      });
      const asks = [{ role: 'user' as const, content: 'quiero un humano' }];
      expect((await responders.reply(bot, asks)).content).toBe(
        'Ahora estamos cerrados: te respondemos de lunes a viernes de 9 a 18 h.',
      );
      clock.advance(13 * 3600_000); // Tuesday 10:00 in Madrid
      expect((await responders.reply(bot, asks)).content).toBe('Te paso con una persona.');
      clock.advance(-13 * 3600_000);
    });
  });
});
