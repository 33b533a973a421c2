import { Link } from 'react-router';
import { useI18n } from '../../../lib/i18n/i18n';
import { useIntegrations } from '../api/get-integrations';

/** Conversaciones' warning: the chatbot's WhatsApp is switched off or failing, so no replies go out. */
export function WhatsAppStatusBanner({
  chatbotId,
}: {
  chatbotId: string | null;
}): React.JSX.Element | null {
  const { t } = useI18n();
  const list = useIntegrations(chatbotId);
  const whatsapp = list.data?.find((i) => i.platform === 'WHATSAPP');
  if (!whatsapp || (whatsapp.isActive && whatsapp.status !== 'error')) return null;
  return (
    <div className="notice row spread" role="status">
      <span className="small">
        {whatsapp.isActive ? t('integrations.bannerError') : t('integrations.bannerDisconnected')}
      </span>
      <Link className="btn btn-secondary btn-sm" to="/integrations">
        {t('demo.manage')}
      </Link>
    </div>
  );
}
