import type { IntegrationErrorType } from '@conecta/contracts';
import type { GraphEndpoint } from './types';

export interface GraphErrorClassification {
  errorType: IntegrationErrorType;
  /** True when the same request may succeed later without changes. */
  retryable: boolean;
  /** The smallest sensible wait before trying again, when Meta documents one. */
  retryAfterMs?: number;
}

export interface ClassifyGraphErrorInput {
  code?: number;
  subcode?: number;
  httpStatus?: number;
  /** Narrows code 100/33 ("object missing or not visible") to the object the call was about. */
  endpoint?: GraphEndpoint;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** Endpoints whose path id is a phone-number id. */
const PHONE_SCOPED: ReadonlySet<GraphEndpoint> = new Set(['phone_number', 'messages']);

function byCode(code: number, subcode: number | undefined, endpoint?: GraphEndpoint) {
  const c = (errorType: IntegrationErrorType, retryable = false, retryAfterMs?: number) =>
    ({ errorType, retryable, retryAfterMs }) satisfies GraphErrorClassification;
  switch (code) {
    case 0:
    case 190:
      return c('INVALID_CREDENTIALS');
    case 3:
    case 10:
    case 131005:
      return c('PERMISSION_DENIED');
    case 100:
      if (subcode === 33) {
        if (endpoint && PHONE_SCOPED.has(endpoint)) return c('INVALID_PHONE_NUMBER');
        if (endpoint === 'media') return c('MEDIA_ERROR');
        return c('PERMISSION_DENIED');
      }
      return c('INVALID_REQUEST');
    case 1:
    case 131000:
      return c('UNKNOWN', true, SECOND);
    case 2:
    case 131016:
    case 133004:
      return c('CONNECTION_FAILED', true, SECOND);
    case 131057:
      return c('CONNECTION_FAILED', true, 60 * SECOND);
    case 4:
    case 80007:
      return c('RATE_LIMIT_EXCEEDED', true, 60 * SECOND);
    case 130429:
      return c('RATE_LIMIT_EXCEEDED', true, SECOND);
    case 131056:
      // Pair rate limit: that recipient only, 4^X s (see metaRetryDelayMs); never inside a call.
      return c('RATE_LIMIT_EXCEEDED', true, SECOND);
    case 131048:
      return c('RATE_LIMIT_EXCEEDED', false);
    case 131049:
      return c('RATE_LIMIT_EXCEEDED', false, 24 * HOUR);
    case 133016:
      return c('RATE_LIMIT_EXCEEDED', false, 72 * HOUR);
    case 131008:
    case 131009:
    case 131021:
    case 131051:
    case 131062: // a business-scoped user id cannot receive this message: send to the phone
      return c('INVALID_REQUEST');
    case 131026:
    case 131030:
    case 131050:
      return c('RECIPIENT_UNAVAILABLE');
    case 131031:
    case 131042:
    case 368:
      return c('ACCOUNT_RESTRICTED');
    case 131045:
    case 133000:
    case 133010:
      return c('PHONE_NOT_REGISTERED');
    case 131047:
      return c('OUTSIDE_CUSTOMER_SERVICE_WINDOW');
    case 131052:
    case 131053:
      return c('MEDIA_ERROR');
    case 130472:
    case 137000:
      return c('MESSAGE_SEND_FAILED');
    default:
      if (code >= 200 && code <= 299) return c('PERMISSION_DENIED');
      if (code >= 132000 && code < 133000) return c('TEMPLATE_ERROR');
      return undefined;
  }
}

/**
 * Error types that mean the integration's credentials, number or account are broken (not a
 * hiccup): these, and only these, set an integration to error.
 */
export const CREDENTIAL_ERROR_TYPES: ReadonlySet<IntegrationErrorType> = new Set([
  'INVALID_CREDENTIALS',
  'PERMISSION_DENIED',
  'INVALID_PHONE_NUMBER',
  'PHONE_NUMBER_MISMATCH',
  'PHONE_NOT_REGISTERED',
  'ACCOUNT_RESTRICTED',
]);

/** Meta codes whose retry is scheduled by the caller (seconds to minutes), never inside a call. */
const CALLER_SCHEDULED: ReadonlySet<number> = new Set([131056]);

/** True when a Graph error's retry must be scheduled by the caller rather than inside the call. */
export function isCallerScheduledRetry(code: number | undefined): boolean {
  return code !== undefined && CALLER_SCHEDULED.has(code);
}

/**
 * Meta's own retry advice for a code, before retry number `retry` (1 = first retry), or undefined
 * when Meta gives none: 131056 (pair rate limit) waits 4^(retry-1) s, i.e. 1, 4, 16, 64 s…, capped
 * at one hour; 130429 (throughput) backs off briefly, 1, 2, 4… s up to 30 s.
 */
export function metaRetryDelayMs(code: number | undefined, retry: number): number | undefined {
  const n = Math.max(1, retry);
  if (code === 131056) return Math.min(HOUR, 4 ** (n - 1) * SECOND);
  if (code === 130429) return Math.min(30 * SECOND, 2 ** (n - 1) * SECOND);
  return undefined;
}

/**
 * Maps a Graph error (synchronous response or asynchronous `failed` status / `value.errors[]`)
 * to our {@link IntegrationErrorType}. Meta's `code` wins; the HTTP status is only a fallback.
 * A call with neither code nor status is a network failure.
 */
export function classifyGraphError(input: ClassifyGraphErrorInput): GraphErrorClassification {
  const { code, subcode, httpStatus, endpoint } = input;
  if (code !== undefined) {
    const known = byCode(code, subcode, endpoint);
    if (known) return known;
  }
  if (httpStatus === undefined) {
    return code === undefined
      ? { errorType: 'CONNECTION_FAILED', retryable: true }
      : { errorType: 'UNKNOWN', retryable: false };
  }
  if (httpStatus === 429) return { errorType: 'RATE_LIMIT_EXCEEDED', retryable: true };
  if (httpStatus >= 500) return { errorType: 'CONNECTION_FAILED', retryable: true };
  if (code === undefined) {
    if (httpStatus === 401) return { errorType: 'INVALID_CREDENTIALS', retryable: false };
    if (httpStatus === 403) return { errorType: 'PERMISSION_DENIED', retryable: false };
    if (httpStatus === 404 && endpoint === 'media_download') {
      return { errorType: 'MEDIA_ERROR', retryable: false };
    }
    if (httpStatus === 408) return { errorType: 'CONNECTION_FAILED', retryable: true };
  }
  if (endpoint === 'messages') return { errorType: 'MESSAGE_SEND_FAILED', retryable: false };
  if (endpoint === 'media' || endpoint === 'media_download') {
    return { errorType: 'MEDIA_ERROR', retryable: false };
  }
  return { errorType: 'UNKNOWN', retryable: false };
}

export interface GraphApiErrorInit {
  message: string;
  endpoint: GraphEndpoint;
  method: string;
  errorType: IntegrationErrorType;
  retryable: boolean;
  retryAfterMs?: number;
  code?: number;
  subcode?: number;
  type?: string;
  fbtraceId?: string;
  httpStatus?: number;
  details?: string;
  /** Meta's own `error.message`, as it sent it (our summary in `message` wraps it in English). */
  metaMessage?: string;
  /** Node/axios error code of a network failure (`ECONNRESET`, `ETIMEDOUT`, …). */
  networkCode?: string;
  attempts?: number;
}

/**
 * The one error every Graph call throws. It holds only plain, token-free values: never the
 * axios error, request config or headers.
 */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  readonly endpoint: GraphEndpoint;
  readonly method: string;
  readonly errorType: IntegrationErrorType;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly type?: string;
  readonly fbtraceId?: string;
  readonly httpStatus?: number;
  readonly details?: string;
  readonly metaMessage?: string;
  readonly networkCode?: string;
  /** How many attempts were made before giving up (1 = no retry). */
  readonly attempts: number;

  constructor(init: GraphApiErrorInit) {
    super(init.message);
    this.endpoint = init.endpoint;
    this.method = init.method;
    this.errorType = init.errorType;
    this.retryable = init.retryable;
    this.attempts = init.attempts ?? 1;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.code !== undefined) this.code = init.code;
    if (init.subcode !== undefined) this.subcode = init.subcode;
    if (init.type !== undefined) this.type = init.type;
    if (init.fbtraceId !== undefined) this.fbtraceId = init.fbtraceId;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.details !== undefined) this.details = init.details;
    if (init.metaMessage !== undefined) this.metaMessage = init.metaMessage;
    if (init.networkCode !== undefined) this.networkCode = init.networkCode;
  }

  toJSON(): GraphApiErrorInit & { name: 'GraphApiError' } {
    return {
      name: this.name,
      message: this.message,
      endpoint: this.endpoint,
      method: this.method,
      errorType: this.errorType,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      code: this.code,
      subcode: this.subcode,
      type: this.type,
      fbtraceId: this.fbtraceId,
      httpStatus: this.httpStatus,
      details: this.details,
      metaMessage: this.metaMessage,
      networkCode: this.networkCode,
      attempts: this.attempts,
    };
  }
}

/**
 * Meta's own words about a failure (its `error_data.details`, else its `message`), never our English
 * summary; undefined when Meta said nothing (a network failure, a request refused before sending).
 */
export function metaWordsOf(error: GraphApiError): string | undefined {
  return error.details ?? error.metaMessage;
}

export function isGraphApiError(value: unknown): value is GraphApiError {
  return value instanceof GraphApiError;
}
