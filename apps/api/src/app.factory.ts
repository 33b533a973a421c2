import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ErrorBody } from '@conecta/contracts';
import type { Connection } from 'mongoose';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { SpaFallback } from './common/spa-fallback';
import type { AppConfig } from './config/app-config';
import { Migrator } from './database/migrator';
import { MetricsService } from './metrics/metrics.service';
import { APP_VERSION } from './version';

export interface CreateAppOptions {
  config: AppConfig;
  mongoUri: string;
  dbName?: string;
  /** Directory of the built SPA to serve at `/`; null to serve none. */
  spaRoot?: string | null;
  /** Apply pending migrations before serving (default true). */
  migrate?: boolean;
}

/** Builds the whole API (used by `main.ts` and by the integration tests). Call `listen` or `init`. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const spa = new SpaFallback(options.spaRoot ?? null);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.nodeEnv === 'production',
    requestIdHeader: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      database: { uri: options.mongoUri, dbName: options.dbName ?? 'conecta' },
      spa,
    }),
    adapter,
    { rawBody: true, bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['metrics'] });
  const metrics = app.get(MetricsService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', async (request, reply) => {
      // Label by route pattern (low cardinality); unmatched paths share one label.
      metrics.httpLatency
        .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
        .observe(reply.elapsedTime / 1000);
    });
  if (config.role === 'worker') {
    // A worker process answers only its health check and metrics over HTTP.
    const notServed: ErrorBody = {
      statusCode: 404,
      error: 'NOT_FOUND',
      message: 'This process runs the workers (ROLE=worker): only /api/health and /metrics',
    };
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', async (request, reply) => {
        const path = request.url.split('?')[0];
        if (path === '/api/health' || path === '/metrics') return;
        await reply.status(404).type('application/json; charset=utf-8').send(notServed);
      });
  }
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, credentials: true });
  }

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(fastifyCookie);
  if (spa.available && spa.root) {
    await app.register(fastifyStatic, {
      root: spa.root,
      prefix: '/',
      wildcard: false,
      index: false,
    });
  }

  const openApi = new DocumentBuilder()
    .setTitle('Conecta API')
    .setDescription('WhatsApp channel for chatbots: integrations, webhook, conversations')
    .setVersion(APP_VERSION)
    .addCookieAuth('conecta_session')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'api/docs-json',
  });

  if (options.migrate !== false) {
    const connection = app.get<Connection>(getConnectionToken());
    await connection.asPromise();
    if (!connection.db) throw new Error('database connection has no db handle');
    await new Migrator(connection.db).up();
  }
  return app;
}
