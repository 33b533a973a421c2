import { isApiError } from './api-client';
import type { Translate } from './i18n/i18n';
import { isMessageKey } from './i18n/i18n';

/** A message for an error: our translation of its reason or stable code when we have one, else the server's. */
export function errorMessage(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    const reason = error.body.details?.reason;
    const reasonKey = `error.reason.${typeof reason === 'string' ? reason : ''}`;
    if (isMessageKey(reasonKey)) return t(reasonKey);
    const key = `error.${error.code}`;
    if (isMessageKey(key)) return t(key);
    return error.message || t('common.error');
  }
  return t('common.error');
}
