import { isConflictReason } from '@conecta/contracts';
import { isApiError } from '../../../lib/api-client';
import { codeMessage, conflictKey, errorMessage } from '../../../lib/error-message';
import { violationMessage } from '../../../lib/form-resolver';
import type { Translate } from '../../../lib/i18n/i18n';
import { failureReasonText, isFailureReason } from './connection-words';
import { WHATSAPP_FIELD_RULES, type ConnectionTestResult, type CredentialField } from './types';

const RULE_CODES = ['required', 'minLength', 'maxLength', 'pattern', 'type'] as const;
type RuleCode = (typeof RULE_CODES)[number];
const isRuleCode = (code: string): code is RuleCode =>
  (RULE_CODES as readonly string[]).includes(code);

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

/** Puts an API error or a failed test on the precise field it is about. */
export function placeErrors(error: unknown, t: Translate): PlacedErrors {
  const out: PlacedErrors = { fields: {}, general: null };
  if (isApiError(error)) {
    const { body } = error;
    // A failed connection test on save names what is wrong (a wrong id is not a token problem).
    const reason = body.details?.reason;
    const typed = isFailureReason(reason) ? failureReasonText(reason, t) : errorMessage(error, t);
    for (const f of body.details?.fields ?? []) {
      if (!isField(f.field)) continue;
      // Our words for every failure: a conflict, a credential Meta refused, a broken format rule.
      out.fields[f.field] = isConflictReason(f.code)
        ? t(conflictKey(f.code))
        : isFailureReason(f.code)
          ? failureReasonText(f.code, t)
          : FIELD_OF_TYPE[body.error]
            ? typed
            : isRuleCode(f.code)
              ? violationMessage(t, WHATSAPP_FIELD_RULES, f.field, {
                  code: f.code,
                  message: f.message,
                })
              : typed;
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
  const message = result.reason
    ? failureReasonText(result.reason, t)
    : (codeMessage(result.errorType, t) ?? t('integrations.testFail'));
  const field = isField(result.field)
    ? result.field
    : result.errorType
      ? FIELD_OF_TYPE[result.errorType]
      : undefined;
  return field ? { fields: { [field]: message }, general: null } : { fields: {}, general: message };
}
