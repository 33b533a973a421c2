import { randomUUID } from 'node:crypto';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@conecta/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl } from '../../logging/redact';
import { AppError } from '../errors/app-error';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Every error leaves the API in one JSON shape ({@link ErrorBody}); never a stack trace. Unknown
 * errors become a 500 with an `errorId` that is also in the log line. (The SPA's client-side routes
 * never get here: the adapter's not-found handler serves them.)
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception, request);

    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    if (exception instanceof AppError) {
      return {
        statusCode: exception.status,
        error: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (
        typeof response === 'object' &&
        response !== null &&
        'error' in response &&
        'statusCode' in response &&
        'details' in response
      ) {
        return response as ErrorBody;
      }
      const message =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? (response as { message: string }).message
            : exception.message;
      return { statusCode: status, error: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', message };
    }
    // Errors raised by Fastify itself (body too large, bad JSON, wrong content type).
    const fe = exception as FastifyLikeError;
    if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      const status = fe.statusCode;
      const message =
        fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'Request body is too large'
          : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'Unsupported content type'
            : status === 400
              ? 'Malformed request body'
              : (fe.message ?? 'Bad request');
      return { statusCode: status, error: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', message };
    }
    const errorId = randomUUID();
    this.logger.error(
      { errorId, method: request.method, url: redactUrl(request.url), err: exception },
      `Unhandled error ${errorId}`,
    );
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'INTERNAL_ERROR',
      message: 'An unexpected error occurred',
      errorId,
    };
  }
}
