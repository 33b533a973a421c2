import { Card } from '../../../components/card';
import { useI18n } from '../../../lib/i18n/i18n';

export const META_PRICING_URL = 'https://developers.facebook.com/docs/whatsapp/pricing';

/**
 * What the business pays Meta, as it is today: per-message pricing since 1 July 2025. The
 * conversation-based price ranges of the original design are out of date and not shown.
 */
export function CostInfo(): React.JSX.Element {
  const { t } = useI18n();
  return (
    <Card className="cost-info stack-sm" aria-labelledby="cost-title">
      <h2 id="cost-title">{t('cost.title')}</h2>
      <p className="small">{t('cost.intro')}</p>
      <ul className="small">
        <li>{t('cost.service')}</li>
        <li>{t('cost.templates')}</li>
        <li>{t('cost.utilityWindow')}</li>
      </ul>
      <p className="small">
        <a href={META_PRICING_URL} target="_blank" rel="noreferrer noopener">
          {t('cost.link')} ↗
        </a>
      </p>
    </Card>
  );
}
