import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import type { Clock } from '../../src/common/clock';
import type { HostResolver } from '../../src/egress/egress-policy';

/** The embedded (or given) server started by the jest global setup. */
export function testMongoUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (npm test)');
  return uri;
}

/** A fresh database name, so test files can run in parallel on one server. */
export function testDbName(label: string): string {
  return `test_${label.replace(/\W+/g, '_').slice(0, 24)}_${randomBytes(4).toString('hex')}`;
}

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

/** A validated test configuration; `env` overrides single variables. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: testMongoUri(),
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'test-verify-token',
    WHATSAPP_APP_SECRET: 'test-app-secret',
    // Never Meta: a test that forgets to start the fake Graph API gets a refused connection.
    WHATSAPP_BASE_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The fake LLM listens on 127.0.0.1; the SSRF tests turn the private-range policy back on.
    EGRESS_ALLOW_PRIVATE: 'true',
    ...env,
  }).config;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dbName: string;
  connection: Connection;
  close(): Promise<void>;
}

/** Boots the real app on its own database of the test server; `close` drops that database. */
export async function startTestApp(
  label: string,
  options: {
    env?: Record<string, string>;
    spaRoot?: string | null;
    resolver?: HostResolver;
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const config = testConfig(options.env);
  const dbName = testDbName(label);
  const app = await createApp({
    config,
    mongoUri: testMongoUri(),
    dbName,
    spaRoot: options.spaRoot ?? null,
    resolver: options.resolver,
    clock: options.clock,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const connection = app.get<Connection>(getConnectionToken());
  return {
    app,
    config,
    dbName,
    connection,
    async close() {
      await dropTestDatabase(connection, dbName);
      await app.close();
    },
  };
}

/** Drops a test database; refuses outside tests or for a name that is not a test database. */
export async function dropTestDatabase(connection: Connection, dbName: string): Promise<void> {
  if (process.env.NODE_ENV !== 'test' || !dbName.startsWith('test_')) {
    throw new Error(`refusing to drop database "${dbName}" outside tests`);
  }
  await connection.useDb(dbName).dropDatabase();
}

/** A clock a test moves by hand (no sleeps). */
export class TestClock implements Clock {
  private at: number;
  constructor(start = Date.now()) {
    this.at = start;
  }
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
  set(at: number): void {
    this.at = at;
  }
}
