import type { DeliveryStatus as Status } from '@conecta/contracts';
import { useId } from 'react';
import { Icon } from '../../../components/icons';
import { isMessageKey, useI18n, type Translate } from '../../../lib/i18n/i18n';

/** What a failed delivery means, in the user's words: by Meta's code, else by its type. */
export function failureMeaning(
  t: Translate,
  failure: { code: number | null; type: string | null },
): string {
  const byCode = failure.code !== null ? `failure.${failure.code}` : '';
  if (isMessageKey(byCode)) return t(byCode);
  const byType = failure.type ? `error.${failure.type}` : '';
  return isMessageKey(byType) ? t(byType) : t('delivery.failedUnknown');
}

/** Ticks for sent, delivered and read; "failed" shows its meaning and Meta's words on hover and focus. */
export function DeliveryStatus({
  status,
  failure,
}: {
  status: Status;
  failure: {
    code: number | null;
    type: string | null;
    detail: string | null;
    /** 1-based part of a split reply that failed. */
    part?: number | null;
  };
}): React.JSX.Element {
  const { t } = useI18n();
  const tipId = useId();
  if (status === 'failed') {
    const meaning = failureMeaning(t, failure);
    const reason = failure.part
      ? t('delivery.failedPart', { n: failure.part, reason: meaning })
      : meaning;
    const text = failure.detail
      ? t('delivery.failedReasonDetail', { reason, detail: failure.detail })
      : t('delivery.failedReason', { reason });
    return (
      <span className="tooltip-wrap">
        <button type="button" className="ticks ticks-failed" aria-describedby={tipId}>
          <Icon name="alert" size={14} /> {t('delivery.failed')}
        </button>
        <span role="tooltip" id={tipId} className="tooltip">
          {text}
        </span>
      </span>
    );
  }
  const label = t(`delivery.${status}`);
  return (
    <span className={`ticks ${status === 'read' ? 'ticks-read' : ''}`} title={label}>
      {status === 'pending' ? (
        <Icon name="clock" size={14} />
      ) : (
        <span aria-hidden="true">{status === 'sent' ? '✓' : '✓✓'}</span>
      )}
      <span>{label}</span>
    </span>
  );
}
