import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { FirstRunService } from '../src/accounts/first-run.service';
import { createApp } from '../src/app.factory';
import type { AppConfig } from '../src/config/app-config';
import { dropTestDatabase, testConfig, testDbName, testMongoUri } from './support/test-app';

/** What main.ts prints once the server listens. */
function noticeOf(app: NestFastifyApplication): string | null {
  return app.get(FirstRunService).startupNotice();
}

async function boot(config: AppConfig, dbName: string): Promise<NestFastifyApplication> {
  const app = await createApp({ config, mongoUri: testMongoUri(), dbName, spaRoot: null });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('first start', () => {
  let lines: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    lines = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it('in the embedded default creates a demo workspace, admin and chatbot and gives the sign-in once, after start-up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'conecta-demo-'));
    const config: AppConfig = { ...testConfig(), embedded: true, dataDir };
    const dbName = testDbName('demo');
    const app = await boot(config, dbName);
    // Nothing during start-up: main.ts prints the notice last, once the server listens.
    expect(lines.join('')).not.toContain('Demo sign-in');
    const demo = noticeOf(app) ?? '';
    expect(demo).toMatch(/^Demo sign-in: /);
    const file = readFileSync(join(dataDir, 'demo-credentials.txt'), 'utf8');
    const password = /password: (\S+)/.exec(file)?.[1] ?? '';
    expect(demo).toContain('admin@conecta.local');
    expect(demo).toContain(password);

    const server = app.getHttpServer();
    const login = await request(server)
      .post('/api/v1/auth/login')
      .send({ email: 'admin@conecta.local', password })
      .expect(200);
    expect(login.body.workspace.name).toBe('Demo');
    const cookie = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ');
    const bots = await request(server).get('/api/v1/chatbots').set('Cookie', cookie).expect(200);
    expect(bots.body).toHaveLength(1);
    expect(bots.body[0]).toEqual(
      expect.objectContaining({ language: 'es', faq: expect.arrayContaining([expect.anything()]) }),
    );
    await app.close();

    lines.length = 0;
    const again = await boot(config, dbName);
    // A restart says where the sign-in is kept, never the password again.
    expect(noticeOf(again)).toBe(
      `Demo sign-in (admin@conecta.local) kept in ${join(dataDir, 'demo-credentials.txt')}`,
    );
    expect(lines.join('')).not.toContain(password);
    const connection = again.get<Connection>(getConnectionToken());
    expect(await connection.collection('users').countDocuments()).toBe(1);
    await dropTestDatabase(connection, dbName);
    await again.close();
  });

  it('with a real database creates ADMIN_EMAIL and never demo credentials', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'conecta-admin-'));
    const config: AppConfig = {
      ...testConfig({ ADMIN_EMAIL: 'Owner@Example.com', ADMIN_PASSWORD: 'a-long-admin-password' }),
      dataDir,
    };
    const dbName = testDbName('admin');
    const app = await boot(config, dbName);
    expect(noticeOf(app)).toBe('Created the admin owner@example.com (from ADMIN_EMAIL)');
    expect(existsSync(join(dataDir, 'demo-credentials.txt'))).toBe(false);
    const server = app.getHttpServer();
    await request(server)
      .post('/api/v1/auth/login')
      .send({ email: 'admin@conecta.local', password: 'anything' })
      .expect(401);
    const res = await request(server)
      .post('/api/v1/auth/login')
      .send({ email: 'owner@example.com', password: 'a-long-admin-password' })
      .expect(200);
    expect(res.body.user.role).toBe('admin');
    await dropTestDatabase(app.get<Connection>(getConnectionToken()), dbName);
    await app.close();
  });

  it('processes started together on an empty database create one admin and one workspace', async () => {
    const config: AppConfig = {
      ...testConfig({ ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: 'a-long-admin-password' }),
      dataDir: mkdtempSync(join(tmpdir(), 'conecta-race-')),
    };
    const dbName = testDbName('first_race');
    const apps = [await boot(config, dbName), await boot(config, dbName)];
    const connection = apps[0]!.get<Connection>(getConnectionToken());
    // Back to an empty database, then both first-start seeds at once (as docker compose starts
    // its API replicas and the worker together).
    await connection.collection('users').deleteMany({});
    await connection.collection('workspaces').deleteMany({});
    await Promise.all(apps.map((app) => app.get(FirstRunService).onApplicationBootstrap()));
    expect(await connection.collection('users').countDocuments()).toBe(1);
    const [workspace, ...extra] = await connection.collection('workspaces').find().toArray();
    expect(extra).toHaveLength(0);
    const admin = await connection.collection('users').findOne({ email: 'owner@example.com' });
    expect(String(admin?.workspaceId)).toBe(String(workspace?._id));
    await dropTestDatabase(connection, dbName);
    for (const app of apps) await app.close();
  });

  it('with a real database and no ADMIN_EMAIL creates nobody', async () => {
    const dbName = testDbName('nobody');
    const app = await boot(testConfig(), dbName);
    const connection = app.get<Connection>(getConnectionToken());
    expect(await connection.collection('users').countDocuments()).toBe(0);
    await dropTestDatabase(connection, dbName);
    await app.close();
  });
});
