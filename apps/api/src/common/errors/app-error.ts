import type {
  ConflictReason,
  ErrorCode,
  FieldError,
  IntegrationErrorType,
} from '@conecta/contracts';

export type AppErrorCode = ErrorCode | IntegrationErrorType;

/** Default HTTP status of each stable code; a thrower may override it. */
const STATUS_BY_CODE: Partial<Record<AppErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
  FEATURE_DISABLED: 503,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  CONNECTION_FAILED: 502,
  RATE_LIMIT_EXCEEDED: 429,
};

/** A domain error with a stable code; the exception filter turns it into the one error body. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: { fields?: FieldError[]; [key: string]: unknown },
    status?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? STATUS_BY_CODE[code] ?? 422;
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }

  /** A 409 whose `details.reason` is one the SPA has a message for (see CONFLICT_REASONS). */
  static conflict(code: ConflictReason, message: string): AppError {
    return new AppError('CONFLICT', message, { reason: code });
  }

  static validation(fields: FieldError[]): AppError {
    const first = fields[0];
    const message = first ? `${first.field} ${first.message}` : 'Validation failed';
    return new AppError('VALIDATION_FAILED', message, { fields });
  }
}
