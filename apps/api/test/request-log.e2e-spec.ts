import { Logger } from '@nestjs/common';
import request from 'supertest';
import { captureLogs } from './support/logs';
import { startTestApp, TestApp } from './support/test-app';

describe('request logs at info level', () => {
  let t: TestApp;
  const logged: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('request_log', { env: { LOG_LEVEL: 'info' } });
    captureLogs(logged);
  });
  afterAll(() => t.close());

  it('write one line per request: method, url without its query, status, ms and request id, no headers', async () => {
    logged.length = 0;
    await request(t.app.getHttpServer())
      .get('/api/v1/chatbots?access_token=EAAsecretInQuery')
      .set('Authorization', 'Bearer EAAsecretInHeader')
      .expect(401);
    const lines = logged.filter((l) => l.includes('/api/v1/chatbots'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      reqId: expect.stringMatching(/\S/),
      status: 401,
      msg: expect.stringMatching(/^GET \/api\/v1\/chatbots 401 \d+ ms$/),
    });
    expect(typeof line.ms).toBe('number');
    const text = logged.join('');
    expect(text).not.toContain('EAAsecret');
    expect(text).not.toContain('headers');
  });

  it("keeps Nest's start-up chatter (a line per module and route) below info; other lines stay", () => {
    logged.length = 0;
    new Logger('RouterExplorer').log('Mapped {/api/v1/example, GET} route');
    new Logger('InstanceLoader').log('ExampleModule dependencies initialized');
    new Logger('InboxWorker').log('inbox workers started');
    new Logger('RouterExplorer').warn('a warning from the router is kept');
    const text = logged.join('');
    expect(text).not.toContain('Mapped');
    expect(text).not.toContain('dependencies initialized');
    expect(text).toContain('inbox workers started');
    expect(text).toContain('a warning from the router is kept');
  });
});
