import { GraphApiError, type MessageTemplate } from '@conecta/graph-client';
import type { FakeGraphApi } from '@conecta/graph-client/testing';
import { PHONE_ID, WABA_ID, makeClient, startFake } from './helpers';

const templates: MessageTemplate[] = Array.from({ length: 5 }, (_, i) => ({
  id: String(800000000000000 + i),
  name: `t${i}`,
  language: 'es',
  category: i === 0 ? 'MARKETING' : 'UTILITY',
  status: i === 4 ? 'REJECTED' : 'APPROVED',
  components: [{ type: 'BODY', text: 'Hola {{1}}' }],
  ...(i === 4 ? { rejectedReason: 'PROMOTIONAL' } : {}),
}));

let fake: FakeGraphApi;
let baseUrl: string;

beforeAll(async () => {
  ({ fake, baseUrl } = await startFake());
  fake.addTemplates(WABA_ID, templates);
});
afterAll(async () => {
  await fake.stop();
});

describe('listMessageTemplates against the fake', () => {
  it('pages with cursors and parses status, quality and rejection reason', async () => {
    const client = makeClient(baseUrl);
    const first = await client.listMessageTemplates(WABA_ID, { limit: 2 });
    expect(first.data.map((t) => t.name)).toEqual(['t0', 't1']);
    expect(first.nextCursor).toBeTruthy();
    const names: string[] = first.data.map((t) => t.name);
    let after = first.nextCursor;
    while (after) {
      const page = await client.listMessageTemplates(WABA_ID, { limit: 2, after });
      names.push(...page.data.map((t) => t.name));
      after = page.nextCursor;
    }
    expect(names).toEqual(['t0', 't1', 't2', 't3', 't4']);
    const last = await client.listMessageTemplates(WABA_ID, { limit: 10 });
    expect(last.nextCursor).toBeUndefined();
    expect(last.data[4]).toMatchObject({
      status: 'REJECTED',
      rejectedReason: 'PROMOTIONAL',
      qualityScore: 'UNKNOWN',
      components: [{ type: 'BODY', text: 'Hola {{1}}' }],
    });
    expect(last.data[0]?.rejectedReason).toBeUndefined();
  });
});

describe('template sends at the fake', () => {
  const send = (name: string, parameters: number) =>
    makeClient(baseUrl).sendMessage(PHONE_ID, {
      to: '+34600111222',
      type: 'template',
      template: {
        name,
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: Array.from({ length: parameters }, () => ({ type: 'text', text: 'x' })),
          },
        ],
      },
    });
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => (e instanceof GraphApiError ? [e.code, e.errorType] : e),
    );

  it('accepts a matching send and refuses Meta’s way otherwise', async () => {
    await expect(send('t1', 1)).resolves.toMatchObject({ wamid: expect.any(String) });
    expect(await codeOf(send('t1', 2))).toEqual([132000, 'TEMPLATE_ERROR']);
    expect(await codeOf(send('missing', 1))).toEqual([132001, 'TEMPLATE_ERROR']);
    expect(await codeOf(send('t4', 1))).toEqual([132001, 'TEMPLATE_ERROR']);
    fake.setTemplateStatus(WABA_ID, 't2', 'es', 'PAUSED');
    expect(await codeOf(send('t2', 1))).toEqual([132015, 'TEMPLATE_ERROR']);
    fake.setTemplateStatus(WABA_ID, 't2', 'es', 'DISABLED');
    expect(await codeOf(send('t2', 1))).toEqual([132016, 'TEMPLATE_ERROR']);
  });
});
