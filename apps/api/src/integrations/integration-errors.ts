import type {
  ConnectionTestResult,
  FieldError,
  IntegrationConflict,
  IntegrationField,
} from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import type { TestFailure } from './connection-tester';

const CONFLICT_MESSAGES: Record<IntegrationConflict, string> = {
  PHONE_NUMBER_ALREADY_CONNECTED: 'This phone number is already connected to a chatbot',
  CHATBOT_ALREADY_HAS_WHATSAPP: 'This chatbot already has a WhatsApp integration',
  APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT:
    'Another number of this WhatsApp Business Account uses a different app secret',
};

/** A 409 naming the field in conflict. */
export function integrationConflict(
  reason: IntegrationConflict,
  field: IntegrationField,
): AppError {
  const message = CONFLICT_MESSAGES[reason];
  const fields: FieldError[] = [{ field, code: reason, message }];
  return new AppError('CONFLICT', message, { reason, fields });
}

/**
 * A failed test on create/update, coded by Meta's verdict: the status table maps the user's input
 * problems to 422 and Meta's own to 502/503.
 */
export function testFailureError(failure: TestFailure, result: ConnectionTestResult): AppError {
  // Codes only: the SPA words the reason (es, en); Meta's own detail stays in the logs.
  const message = `Connection test failed: ${failure.reason}`;
  const fields: FieldError[] = failure.field
    ? [{ field: failure.field, code: failure.reason, message }]
    : [];
  return new AppError(failure.errorType, message, {
    ...(fields.length ? { fields } : {}),
    errorType: failure.errorType,
    reason: failure.reason,
    ...(failure.metaCode !== null ? { metaCode: failure.metaCode } : {}),
    ...(failure.retryAfterMs !== null ? { retryAfterMs: failure.retryAfterMs } : {}),
    checks: result.checks,
  });
}
