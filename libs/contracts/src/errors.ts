/**
 * Stable error codes of the API's error body. Clients branch on these, never on `message`.
 * Integration-specific failures use {@link IntegrationErrorType} values as codes too.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_REQUESTS',
  'FEATURE_DISABLED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Why a call to Meta (or a WhatsApp integration) failed. */
export const INTEGRATION_ERROR_TYPES = [
  'INVALID_CREDENTIALS',
  'PERMISSION_DENIED',
  'CONNECTION_FAILED',
  'WEBHOOK_VERIFICATION_FAILED',
  'MESSAGE_SEND_FAILED',
  'RATE_LIMIT_EXCEEDED',
  'INVALID_PHONE_NUMBER',
  'PHONE_NUMBER_MISMATCH',
  'PHONE_NOT_REGISTERED',
  'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
  'RECIPIENT_UNAVAILABLE',
  'ACCOUNT_RESTRICTED',
  'INVALID_REQUEST',
  'MEDIA_ERROR',
  'TEMPLATE_ERROR',
  'UNKNOWN',
] as const;
export type IntegrationErrorType = (typeof INTEGRATION_ERROR_TYPES)[number];

/** One field's problem, as listed in `details.fields` of a VALIDATION_FAILED (or credential) error. */
export interface FieldError {
  field: string;
  /** A stable rule code such as `required`, `pattern`, `maxLength`, `unknown`. */
  code: string;
  message: string;
}

/** The one JSON shape of every error the API answers with. */
export interface ErrorBody {
  statusCode: number;
  error: ErrorCode | IntegrationErrorType | string;
  message: string;
  details?: {
    fields?: FieldError[];
    [key: string]: unknown;
  };
  /** Present on 500s: the same id is in the server log line. */
  errorId?: string;
}
