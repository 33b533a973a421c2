import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, type LoggerService, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';
import { REDACT_PATHS, redactUrl } from './redact';

/** `GET /api/v1/chatbots 200 12 ms`: what a request log line says, without its query string. */
export function requestLine(
  req: Pick<IncomingMessage, 'method' | 'url'>,
  res: Pick<ServerResponse, 'statusCode'>,
  ms?: number,
): string {
  const line = `${req.method ?? '?'} ${redactUrl(req.url ?? '')} ${res.statusCode}`;
  return ms === undefined ? line : `${line} ${ms} ms`;
}

/** Structured JSON logs with a request id on every line and the shared redaction list. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: [
            {
              level: config.logLevel,
              redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
              genReqId: (req: IncomingMessage) => {
                const header = req.headers['x-request-id'];
                return typeof header === 'string' && /^[\w-]{1,64}$/.test(header)
                  ? header
                  : randomUUID();
              },
              // Query strings may carry verify tokens, paths a contact's number: see redactUrl.
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: redactUrl(req.url),
                }),
              },
              // One line per request: the request id on every line of it, never its headers.
              quietReqLogger: true,
              quietResLogger: true,
              customSuccessMessage: requestLine,
              customErrorMessage: (req, res) => requestLine(req, res),
              customSuccessObject: (_req, res, value: { responseTime: number }) => ({
                status: res.statusCode,
                ms: value.responseTime,
              }),
              customErrorObject: (_req, res, err, value: { responseTime: number }) => ({
                status: res.statusCode,
                ms: value.responseTime,
                err,
              }),
              autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
            },
            // Written in order with the process's own lines (the sign-in printed last at start).
            pino.destination({ dest: 1, sync: true }),
          ],
        }),
      ],
    };
  }
}

/** Nest's start-up chatter: a line per module, per controller and per route (65 at info). */
const STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The app's logger: Nest's start-up chatter at debug, so that an info-level start shows what an
 * operator needs (the database, the address, the sign-in) instead of every route.
 */
export function withQuietStartup(logger: LoggerService): LoggerService {
  const isStartup = (params: unknown[]): boolean => {
    const context = params.at(-1);
    return typeof context === 'string' && STARTUP_CONTEXTS.has(context);
  };
  return {
    log: (message: unknown, ...params: unknown[]) =>
      isStartup(params) ? logger.debug?.(message, ...params) : logger.log(message, ...params),
    error: (message: unknown, ...params: unknown[]) => logger.error(message, ...params),
    warn: (message: unknown, ...params: unknown[]) => logger.warn(message, ...params),
    debug: (message: unknown, ...params: unknown[]) => logger.debug?.(message, ...params),
    verbose: (message: unknown, ...params: unknown[]) => logger.verbose?.(message, ...params),
    fatal: (message: unknown, ...params: unknown[]) => logger.fatal?.(message, ...params),
  };
}
