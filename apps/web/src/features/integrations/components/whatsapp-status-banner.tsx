import { BLOCKING_STANDINGS } from '@conecta/contracts';
import { Link } from 'react-router';
import { useI18n } from '../../../lib/i18n/i18n';
import { useIntegrations } from '../api/get-integrations';
import { codeWords, restrictionWords } from './account-health';

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
  // A restriction or ban Meta reported says what no longer works, not just "an error".
  const standing = whatsapp.account.standing;
  const blocked =
    whatsapp.isActive && standing !== null && BLOCKING_STANDINGS.includes(standing.state);
  const text = !whatsapp.isActive
    ? t('integrations.bannerDisconnected')
    : blocked
      ? [
          codeWords(t, 'account.standing', standing.state),
          ...standing.restrictions.map((r) => restrictionWords(t, r.type)),
        ].join(' ')
      : t('integrations.bannerError');
  return (
    <div className="notice row spread" role="status">
      <span className="small">{text}</span>
      <Link className="btn btn-secondary btn-sm" to="/integrations">
        {t('demo.manage')}
      </Link>
    </div>
  );
}
