import { META_PRICING_URL } from '@conecta/contracts';
import { Card } from '../../../components/card';
import { useI18n } from '../../../lib/i18n/i18n';

/**
 * What the business pays Meta, as it is today (docs/whatsapp-cloud-api §10): every delivered
 * message by category and country, service replies included since 1 October 2026, the 72-hour
 * free entry point after an ad. Rates change only on Meta's page, which the card links to.
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
        <li>{t('cost.freeEntryPoint')}</li>
      </ul>
      <p className="small">
        <a href={META_PRICING_URL} target="_blank" rel="noreferrer noopener">
          {t('cost.link')} ↗
        </a>
      </p>
    </Card>
  );
}
