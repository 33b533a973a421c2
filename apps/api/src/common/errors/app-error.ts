import type {
  ConflictReason,
  ErrorCode,
  FieldError,
  IntegrationErrorType,
} from '@conecta/contracts';

export type AppErrorCode = ErrorCode | IntegrationErrorType;

/**
 * The HTTP status of every stable code, in one place: a thrower picks the code, never the status.
 * Meta's verdicts on the user's own input (credentials, number, a closed 24-hour window) are 422;
 * Meta rate-limiting us is 503; Meta failing otherwise is 502.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<AppErrorCode, number>> = {
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
  INVALID_CREDENTIALS: 422,
  PERMISSION_DENIED: 422,
  INVALID_PHONE_NUMBER: 422,
  PHONE_NUMBER_MISMATCH: 422,
  PHONE_NOT_REGISTERED: 422,
  ACCOUNT_RESTRICTED: 422,
  INVALID_REQUEST: 422,
  OUTSIDE_CUSTOMER_SERVICE_WINDOW: 422,
  RATE_LIMIT_EXCEEDED: 503,
  CONNECTION_FAILED: 502,
  WEBHOOK_VERIFICATION_FAILED: 502,
  MESSAGE_SEND_FAILED: 502,
  RECIPIENT_UNAVAILABLE: 502,
  MEDIA_ERROR: 502,
  TEMPLATE_ERROR: 502,
  UNKNOWN: 502,
};

/** A domain error with a stable code; the exception filter turns it into the one error body. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: { fields?: FieldError[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'AppError';
    this.status = HTTP_STATUS_BY_CODE[code];
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
