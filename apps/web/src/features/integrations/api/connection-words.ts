import {
  CONNECTION_FAILURE_REASONS,
  type ConnectionCheck,
  type ConnectionFailureReason,
} from '@conecta/contracts';
import { isMessageKey, type MessageKey, type Translate } from '../../../lib/i18n/i18n';

export function isFailureReason(value: unknown): value is ConnectionFailureReason {
  return (
    typeof value === 'string' && (CONNECTION_FAILURE_REASONS as readonly string[]).includes(value)
  );
}

/** What a failed connection test means and what to fix; a reason without words does not compile. */
export function failureReasonText(reason: ConnectionFailureReason, t: Translate): string {
  return t(`testFailure.${reason}`);
}

/**
 * One of Meta's values for a number (`VERIFIED`, `CONNECTED`) in the user's language; a value
 * Meta added later shows as Meta wrote it rather than not at all. (Quality: `codeWords`.)
 */
export function metaValueText(
  kind: 'verification' | 'status',
  value: string | null | undefined,
  t: Translate,
): string {
  if (!value) return t('meta.unknown');
  const key = `meta.${kind}.${value}`;
  return isMessageKey(key) ? t(key) : value;
}

/** A line of the connection test's checklist. */
export function checkText(check: ConnectionCheck, t: Translate): string {
  if (check.outcome === 'skipped') return t('check.skipped');
  if (check.note === 'PHONE_STATUS') {
    return t('check.note.PHONE_STATUS', {
      status: metaValueText('status', check.phoneStatus, t),
      verification: metaValueText('verification', check.codeVerificationStatus, t),
    });
  }
  if (check.note) return t(`check.note.${check.note}`);
  const key: MessageKey = `check.${check.name}.${check.outcome === 'passed' ? 'passed' : 'failed'}`;
  return t(key);
}
