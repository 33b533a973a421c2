import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { MAX_MEDIA_BYTES, SESSION_COOKIE } from '@conecta/contracts';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ErrorBody } from '@conecta/contracts';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Connection } from 'mongoose';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ALLOWS_NUL_TEXT, checkJsonBytes } from './common/json-body';
import type { Clock } from './common/clock';
import { SpaFallback } from './common/spa-fallback';
import type { AppConfig } from './config/app-config';
import { Migrator } from './database/migrator';
import { withQuietStartup } from './logging/logging.module';
import type { HostResolver } from './egress/egress-policy';
import { releaseRequestContextWhenIdle } from './logging/request-context';
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
  /** DNS of the egress policy (tests inject one that never leaves the machine). */
  resolver?: HostResolver;
  /** What time it is (tests pass one they can move). */
  clock?: Clock;
}

/**
 * Fastify with the body parsers of this API only: JSON (checked by {@link checkJsonBytes} before it
 * is parsed, the raw bytes kept for the webhook signature). No form or text parser: a cross-site
 * form can then not post to any route, the sign-in included.
 */
class ConectaFastifyAdapter extends FastifyAdapter {
  constructor(
    options: FastifyServerOptions,
    private readonly spa: SpaFallback,
  ) {
    super(options);
  }

  /** Unknown paths: the SPA's client-side routes get its index.html; the rest Nest's 404. */
  override setNotFoundHandler(
    handler: (...args: unknown[]) => unknown,
  ): ReturnType<FastifyAdapter['setNotFoundHandler']> {
    const spa = this.spa;
    return super.setNotFoundHandler(
      (request: FastifyRequest, reply: FastifyReply, ...rest: unknown[]): unknown => {
        if (spa.serves(request)) {
          return reply.status(200).type('text/html; charset=utf-8').send(spa.indexHtml());
        }
        return handler(request, reply, ...rest);
      },
    );
  }

  override registerParserMiddleware(prefix?: string, rawBody?: boolean): void {
    super.registerParserMiddleware(prefix, rawBody);
    const instance = this.getInstance();
    instance.removeContentTypeParser([
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
    ]);
    const parseJson = instance.getDefaultJsonParser('error', 'error');
    this.useBodyParser(
      'application/json',
      rawBody === true,
      { bodyLimit: instance.initialConfig.bodyLimit },
      (req, body, done) => {
        try {
          checkJsonBytes(body, req.routeOptions.config[ALLOWS_NUL_TEXT] !== true);
        } catch (err) {
          done(err as Error, undefined);
          return;
        }
        parseJson(req, body.toString('utf8'), done);
      },
    );
  }
}

/** Builds the whole API (used by `main.ts` and by the integration tests). Call `listen` or `init`. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const spa = new SpaFallback(options.spaRoot ?? null);
  const adapter = new ConectaFastifyAdapter(
    {
      bodyLimit: config.bodyLimitBytes,
      // Forwarded headers are believed only from the proxies TRUST_PROXY names (default: none).
      trustProxy: config.trustProxy,
      requestIdHeader: false,
    },
    spa,
  );
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      database: { uri: options.mongoUri, dbName: options.dbName ?? 'conecta' },
      resolver: options.resolver,
      clock: options.clock,
    }),
    adapter,
    { rawBody: true, bufferLogs: true, abortOnError: false },
  );
  app.useLogger(withQuietStartup(app.get(Logger)));
  // Out now, not at listen(): an app that never listens (tests, a worker's checks) would keep every
  // line in Nest's buffer.
  app.flushLogs();
  releaseRequestContextWhenIdle(app.getHttpAdapter().getInstance());
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
  // Multipart is read only by the routes that ask for it (an agent's file), after auth; one file
  // up to Meta's largest limit (a document) and one short field (the caption).
  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 1, parts: 2, fieldSize: 4096 },
  });
  if (spa.available && spa.root) {
    await app.register(fastifyStatic, {
      root: spa.root,
      prefix: '/',
      wildcard: false,
      index: false,
    });
  }

  if (config.apiDocs) setUpApiDocs(app);

  if (options.migrate !== false) {
    const connection = app.get<Connection>(getConnectionToken());
    await connection.asPromise();
    if (!connection.db) throw new Error('database connection has no db handle');
    await new Migrator(connection.db).up();
  }
  return app;
}

/** The OpenAPI document and its UI; off in production unless API_DOCS=true. */
function setUpApiDocs(app: NestFastifyApplication): void {
  const openApi = new DocumentBuilder()
    .setTitle('Conecta API')
    .setDescription('WhatsApp channel for chatbots: integrations, webhook, conversations')
    .setVersion(APP_VERSION)
    .addCookieAuth(SESSION_COOKIE, { type: 'apiKey' }, 'cookie')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'api/docs-json',
  });
}
