import { FakeGraphApi } from '@conecta/graph-client/testing';
import request from 'supertest';
import { IntegrationsMetrics } from '../src/integrations/integrations-metrics.service';
import { seedWorkspace, SeededWorkspace } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

const TOKEN = 'EAAMetricsToken000000000000000000000001';
const WABA = '102290129340398';
const PHONE = '106540352242922';

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const prefix = labels ? `${name}{${labels}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('GET /metrics after integration work', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let ws: SeededWorkspace;

  beforeAll(async () => {
    fake.addBusiness({
      wabaId: WABA,
      name: 'Lucky Shrub',
      tokens: [TOKEN],
      phoneNumbers: [{ id: PHONE, displayPhoneNumber: '+1 555-010-0100', verifiedName: 'Lucky' }],
    });
    const baseUrl = await fake.start();
    t = await startTestApp('metrics_int', {
      env: {
        WHATSAPP_BASE_URL: baseUrl,
        INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0',
        WHATSAPP_RETRY_BASE_DELAY_MS: '10',
      },
    });
    ws = await seedWorkspace(t);
  });

  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  const scrape = async (): Promise<string> =>
    (await request(t.app.getHttpServer()).get('/metrics').expect(200)).text;

  it('counts integration operations, Graph calls by outcome, and integrations in error', async () => {
    const created = await ws.admin
      .post('/api/v1/integrations', {
        chatbotId: ws.chatbotId,
        phoneNumberId: PHONE,
        businessAccountId: WABA,
        accessToken: TOKEN,
      })
      .expect(201);
    let text = await scrape();
    expect(
      sample(text, 'conecta_integration_operations_total', 'operation="create",outcome="success"'),
    ).toBe(1);
    expect(
      sample(text, 'conecta_graph_api_calls_total', 'endpoint="phone_number",outcome="ok"'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'conecta_graph_api_calls_total', 'endpoint="subscribed_apps",outcome="ok"'),
    ).toBeGreaterThanOrEqual(1);

    fake.expireToken(TOKEN);
    await ws.admin.post(`/api/v1/integrations/${created.body.id as string}/test`).expect(200);
    await t.app.get(IntegrationsMetrics).refresh();
    text = await scrape();
    expect(
      sample(text, 'conecta_integration_operations_total', 'operation="test",outcome="failure"'),
    ).toBe(1);
    expect(
      sample(
        text,
        'conecta_graph_api_calls_total',
        'endpoint="phone_number",outcome="client_error"',
      ),
    ).toBeGreaterThanOrEqual(1);
    // One integration in error, labelled by its error type (bounded: the contracts' list).
    const inError = text.split('\n').filter((l) => l.startsWith('conecta_integrations_in_error{'));
    expect(inError).toEqual([
      expect.stringMatching(/^conecta_integrations_in_error\{reason="INVALID_CREDENTIALS"\} 1$/),
    ]);
  });
});
