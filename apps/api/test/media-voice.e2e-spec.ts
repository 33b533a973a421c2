import { signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  buildInboundMessageWebhook,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import request from 'supertest';
import { ChatbotsService } from '../src/chatbots/chatbots.service';
import { seedWorkspace, systemAuth, type SeededWorkspace } from './support/auth';
import { FakeLlmServer } from './support/fake-llm';
import { startTestApp, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

const RULES: FakeNumber = {
  wabaId: '102290129341700',
  phoneNumberId: '106540352241700',
  token: 'EAAVoiceTokenA0000000000000000000000001',
  appSecret: 'dddddddddddddddddddddddddddddddd',
};
const LLM: FakeNumber = {
  wabaId: '102290129341701',
  phoneNumberId: '106540352241701',
  token: 'EAAVoiceTokenB0000000000000000000000002',
  appSecret: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
};
const OWN: FakeNumber = {
  wabaId: '102290129341702',
  phoneNumberId: '106540352241702',
  token: 'EAAVoiceTokenC0000000000000000000000003',
  appSecret: 'ffffffffffffffffffffffffffffffff',
};
const OGG = Buffer.concat([Buffer.from('OggS', 'latin1'), Buffer.alloc(2048, 5)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1024, 9)]);

let customerSeq = 0;
const newCustomer = (): string => `3461700${String(++customerSeq).padStart(4, '0')}`;

describe('Voice notes transcribed for the bot (TRANSCRIPTION_MODEL)', () => {
  const fake = new FakeGraphApi();
  let llm: FakeLlmServer;
  /** A workspace's own OpenAI-compatible endpoint (chat and transcription). */
  let ownLlm: FakeLlmServer;
  let t: TestApp;
  let rules: SeededWorkspace;
  let smart: SeededWorkspace;

  beforeAll(async () => {
    const graphUrl = await fake.start();
    llm = await FakeLlmServer.start();
    ownLlm = await FakeLlmServer.start();
    t = await startTestApp('media_voice', {
      env: webhookTestEnv(graphUrl, {
        WEBHOOK_BURST_WINDOW_MS: '0',
        INBOX_RETRY_BASE_MS: '20',
        LLM_BASE_URL: llm.baseUrl,
        LLM_MODEL: 'chat-model',
        LLM_API_KEY: 'server-llm-key',
        TRANSCRIPTION_MODEL: 'whisper-1',
      }),
    });
    rules = await seedWorkspace(t, { name: 'Reglas' });
    smart = await seedWorkspace(t, { name: 'LLM' });
    await t.app.get(ChatbotsService).update(systemAuth(smart.workspaceId), smart.chatbotId, {
      responder: { type: 'openai-compatible', acceptsImages: true },
    });
    const own = await seedWorkspace(t, { name: 'Propio' });
    await t.app.get(ChatbotsService).update(systemAuth(own.workspaceId), own.chatbotId, {
      responder: {
        type: 'openai-compatible',
        baseUrl: ownLlm.baseUrl,
        apiKey: 'own-llm-key',
        model: 'own-chat',
        transcriptionModel: 'own-whisper',
      },
    });
    await connectNumber(fake, own, OWN);
    await connectNumber(fake, rules, RULES);
    await connectNumber(fake, smart, LLM);
  });

  afterAll(async () => {
    await fake.stop();
    await llm.stop();
    await ownLlm.stop();
    await t?.close();
  });

  beforeEach(() => {
    fake.reset();
    llm.transcriptions.length = 0;
    llm.requests.length = 0;
    ownLlm.transcriptions.length = 0;
  });

  const messages = () => t.connection.collection('messages');

  async function voiceNote(n: FakeNumber, customer: string): Promise<string> {
    return sendFile(n, customer, 'audio', OGG, 'audio/ogg; codecs=opus', { voice: true });
  }

  async function sendFile(
    n: FakeNumber,
    customer: string,
    type: 'audio' | 'image',
    data: Buffer,
    mimeType: string,
    extra: Record<string, unknown>,
  ): Promise<string> {
    const mediaId = fake.addMedia({ phoneNumberId: n.phoneNumberId, data, mimeType });
    return sendMessage(n, customer, {
      type,
      [type]: { id: mediaId, mime_type: mimeType, ...extra },
    });
  }

  /** The customer sends one message (Meta's `type` and its object) to the number; its wamid. */
  async function sendMessage(
    n: FakeNumber,
    customer: string,
    message: Record<string, unknown> & { type: string },
  ): Promise<string> {
    const wamid = newWamid();
    const body = metaJsonStringify(
      buildInboundMessageWebhook(
        { wabaId: n.wabaId, phoneNumberId: n.phoneNumberId, from: customer, wamid },
        message,
      ),
    );
    await request(t.app.getHttpServer())
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, n.appSecret))
      .send(body)
      .expect(200);
    return wamid;
  }

  const replyTo = (customer: string) =>
    waitFor(`the reply to ${customer}`, () => {
      const sent = fake.sentMessages().find((s) => s.to === `+${customer}`);
      return sent ? (sent.payload as { text?: { body?: string } }).text?.body : undefined;
    });

  it('feeds the rules responder the transcript: a spoken question gets its FAQ answer', async () => {
    llm.transcription = { text: '¿Cuál es su horario?' };
    const customer = newCustomer();
    const wamid = await voiceNote(RULES, customer);
    expect(await replyTo(customer)).toContain('Abrimos de 9 a 18.');
    const [call] = llm.transcriptions;
    expect(llm.transcriptions).toHaveLength(1);
    expect(call).toMatchObject({
      authorization: 'Bearer server-llm-key',
      model: 'whisper-1',
      language: 'es',
      fileType: 'audio/ogg',
    });
    expect(call?.file.equals(OGG)).toBe(true);
    const m = await messages().findOne({ externalMessageId: wamid });
    expect(m?.media).toMatchObject({
      voice: true,
      state: 'stored',
      transcript: '¿Cuál es su horario?',
    });
    // The thread shows it under the player.
    const page = await rules.admin
      .get(`/api/v1/conversations/${String(m?.conversationId)}/messages`)
      .expect(200);
    const shown = (page.body as { items: { media: { transcript: string } | null }[] }).items.find(
      (i) => i.media,
    );
    expect(shown?.media?.transcript).toBe('¿Cuál es su horario?');
  });

  it('gives the LLM responder the transcript as the user turn', async () => {
    llm.transcription = { text: 'Quiero cambiar mi pedido' };
    llm.willAnswer({ kind: 'json', content: 'Claro, ¿cuál es el número de pedido?' });
    const customer = newCustomer();
    await voiceNote(LLM, customer);
    expect(await replyTo(customer)).toBe('Claro, ¿cuál es el número de pedido?');
    const chat = llm.requests.find((r) => r.path === '/v1/chat/completions');
    const turns = chat?.body.messages ?? [];
    expect(turns[turns.length - 1]).toEqual({ role: 'user', content: 'Quiero cambiar mi pedido' });
  });

  it('answers from the note’s label when transcription fails, and keeps no transcript', async () => {
    llm.transcription = { status: 500 };
    const customer = newCustomer();
    const wamid = await voiceNote(RULES, customer);
    expect(await replyTo(customer)).toBeDefined();
    expect(llm.transcriptions).toHaveLength(1);
    const m = await messages().findOne({ externalMessageId: wamid });
    expect(m?.content).toBe('[nota de voz]');
    expect((m?.media as { transcript?: string }).transcript).toBeUndefined();
  });

  it('passes a photo to a model that accepts images as an image part, its caption as the text', async () => {
    llm.willAnswer({ kind: 'json', content: 'Sí, lo tenemos en azul.' });
    const customer = newCustomer();
    await sendFile(LLM, customer, 'image', JPEG, 'image/jpeg', { caption: '¿Tienen este modelo?' });
    expect(await replyTo(customer)).toBe('Sí, lo tenemos en azul.');
    const chat = llm.requests.find((r) => r.path === '/v1/chat/completions');
    const turns = (chat?.body.messages ?? []) as { role: string; content: unknown }[];
    expect(turns[turns.length - 1]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: '¿Tienen este modelo?' },
        {
          type: 'image_url',
          image_url: { url: `data:image/jpeg;base64,${JPEG.toString('base64')}` },
        },
      ],
    });
  });

  it('gives a rules chatbot the photo’s label, never the image', async () => {
    const customer = newCustomer();
    await sendFile(RULES, customer, 'image', JPEG, 'image/jpeg', { caption: 'horario?' });
    expect(await replyTo(customer)).toContain('Abrimos de 9 a 18.');
  });

  it("transcribes a workspace's voice notes at its chatbot's own endpoint with its own key and model", async () => {
    ownLlm.transcription = { text: 'Mi pedido no llegó' };
    ownLlm.willAnswer({ kind: 'json', content: 'Lo reviso ahora mismo.' });
    const customer = newCustomer();
    await voiceNote(OWN, customer);
    expect(await replyTo(customer)).toBe('Lo reviso ahora mismo.');
    expect(ownLlm.transcriptions).toHaveLength(1);
    expect(ownLlm.transcriptions[0]).toMatchObject({
      model: 'own-whisper',
      authorization: 'Bearer own-llm-key',
    });
    expect(llm.transcriptions).toHaveLength(0);
    const chat = ownLlm.requests.find((r) => r.path === '/v1/chat/completions');
    expect(chat?.body.messages?.at(-1)).toEqual({ role: 'user', content: 'Mi pedido no llegó' });
  });

  // Last in the file: its run waits on the hanging model until the fake stops (afterAll).
  it("shows open dashboards the customer's message while the model is still thinking (not with the reply)", async () => {
    llm.willAnswer({ kind: 'hang' });
    await sendMessage(LLM, newCustomer(), { type: 'text', text: { body: 'necesito guayaba' } });
    await waitFor('the model to be asked', () =>
      llm.requests.some((r) => r.path === '/v1/chat/completions') ? true : undefined,
    );
    const said = await messages().findOne({ content: 'necesito guayaba' });
    if (!said) throw new Error('the message is not stored');
    const announced = await t.connection
      .collection('workspace_events')
      .findOne({ type: 'message', messageId: String(said._id) });
    expect(announced).toMatchObject({ conversationId: String(said.conversationId) });
    const found = await smart.admin.get('/api/v1/conversations?q=guayaba').expect(200);
    expect((found.body as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([
      String(said.conversationId),
    ]);
  });
});
