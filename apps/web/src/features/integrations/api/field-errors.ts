import { isApiError } from '../../../lib/api-client';
import { isMessageKey, type Translate } from '../../../lib/i18n/i18n';
import type { ConnectionTestResult, CredentialField } from './types';

export type { CredentialField };
const FIELDS: readonly CredentialField[] = [
  'phoneNumberId',
  'accessToken',
  'businessAccountId',
  'appSecret',
  'webhookVerifyToken',
];

/** Which field an error type is about, when the server names none. */
const FIELD_OF_TYPE: Partial<Record<string, CredentialField>> = {
  INVALID_CREDENTIALS: 'accessToken',
  PERMISSION_DENIED: 'accessToken',
  INVALID_PHONE_NUMBER: 'phoneNumberId',
  PHONE_NOT_REGISTERED: 'phoneNumberId',
  PHONE_NUMBER_MISMATCH: 'businessAccountId',
  WEBHOOK_VERIFICATION_FAILED: 'appSecret',
};

function isField(name: unknown): name is CredentialField {
  return typeof name === 'string' && (FIELDS as readonly string[]).includes(name);
}

export interface PlacedErrors {
  fields: Partial<Record<CredentialField, string>>;
  /** What belongs to no field (Meta unreachable, conflicts, …). */
  general: string | null;
}

function typeMessage(type: string | null | undefined, fallback: string, t: Translate): string {
  const key = type ? `error.${type}` : '';
  return isMessageKey(key) ? t(key) : fallback;
}

/** Puts an API error or a failed test on the precise field it is about. */
export function placeErrors(error: unknown, t: Translate): PlacedErrors {
  const out: PlacedErrors = { fields: {}, general: null };
  if (isApiError(error)) {
    const { body } = error;
    const typed = typeMessage(body.error, body.message, t);
    for (const f of body.details?.fields ?? []) {
      if (!isField(f.field)) continue;
      // A credential failure or a known conflict reads better in our words; a format error keeps
      // the server's.
      out.fields[f.field] = FIELD_OF_TYPE[body.error] ? typed : typeMessage(f.code, f.message, t);
    }
    const detailField = body.details?.field;
    if (Object.keys(out.fields).length === 0 && isField(detailField))
      out.fields[detailField] = typed;
    if (Object.keys(out.fields).length === 0) {
      const field = FIELD_OF_TYPE[body.error];
      if (field) out.fields[field] = typed;
      else out.general = typed;
    }
    return out;
  }
  out.general = t('common.error');
  return out;
}

export function placeTestFailure(result: ConnectionTestResult, t: Translate): PlacedErrors {
  const message = typeMessage(result.errorType, result.message, t);
  const field = isField(result.field)
    ? result.field
    : result.errorType
      ? FIELD_OF_TYPE[result.errorType]
      : undefined;
  return field ? { fields: { [field]: message }, general: null } : { fields: {}, general: message };
}
