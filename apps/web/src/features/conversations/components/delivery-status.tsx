import type { DeliveryStatus as Status } from '@conecta/contracts';
import { useId } from 'react';
import { Icon } from '../../../components/icons';
import { useI18n } from '../../../lib/i18n/i18n';

/** Ticks for sent, delivered and read; "failed" shows its reason on hover and on focus. */
export function DeliveryStatus({
  status,
  reason,
}: {
  status: Status;
  reason: string | null;
}): React.JSX.Element {
  const { t } = useI18n();
  const tipId = useId();
  if (status === 'failed') {
    const text = reason ? t('delivery.failedReason', { reason }) : t('delivery.failed');
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
