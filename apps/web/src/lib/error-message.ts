import {
  ERROR_CODES,
  INTEGRATION_ERROR_TYPES,
  isConflictReason,
  isMediaRuleCode,
  type ConflictReason,
  type MediaRuleCode,
  type ErrorCode,
  type IntegrationErrorType,
} from '@conecta/contracts';
import { isApiError } from './api-client';
import type { MessageKey, Translate } from './i18n/i18n';

export type ApiErrorCode = ErrorCode | IntegrationErrorType;
const API_ERROR_CODES: readonly string[] = [...ERROR_CODES, ...INTEGRATION_ERROR_TYPES];

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && API_ERROR_CODES.includes(value);
}

/** The message of an error code. A code without a message in the dictionaries does not compile. */
export function errorCodeKey(code: ApiErrorCode): MessageKey {
  return `error.${code}`;
}

/** The message of a 409's `details.reason`; a reason without a message does not compile. */
export function conflictKey(reason: ConflictReason): MessageKey {
  return `conflict.${reason}`;
}

/** Why a file cannot be sent (the shared rule's code, from the API's 413/415 or the picker). */
export function mediaRuleKey(code: MediaRuleCode): MessageKey {
  return `media.rule.${code}`;
}

/**
 * A message for an error, in the user's language: the reason of a conflict first (each has its
 * own), else the error code, else a generic sentence. Never the server's English `message`.
 */
export function errorMessage(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    const reason = error.body.details?.reason;
    if (isConflictReason(reason)) return t(conflictKey(reason));
    if (isMediaRuleCode(reason)) return t(mediaRuleKey(reason));
    if (isApiErrorCode(error.code)) return t(errorCodeKey(error.code));
  }
  return t('common.error');
}

/** The same, for a stored or reported code (a failed delivery, a connection test). */
export function codeMessage(code: string | null | undefined, t: Translate): string | null {
  return isApiErrorCode(code) ? t(errorCodeKey(code)) : null;
}
