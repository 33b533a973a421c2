import type { Platform } from '@conecta/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { ChannelIcon } from '../../../components/channel-icon';
import { codeMessage } from '../../../lib/error-message';
import { relativeTime } from '../../../lib/format';
import { useI18n, type MessageKey } from '../../../lib/i18n/i18n';
import type { IntegrationState, IntegrationStatus } from '../api/types';
import { AccountHealthSummary } from './account-health';

export interface IntegrationCardProps {
  platform: Platform;
  integration: IntegrationStatus | null;
  comingSoon?: boolean;
  canManage: boolean;
  busy?: boolean;
  onConnect?: () => void;
  onEdit?: () => void;
  onTest?: () => void;
  onToggleActive?: (isActive: boolean) => void;
  onDelete?: () => void;
}

const TONE: Record<IntegrationState, BadgeTone> = {
  connected: 'success',
  disconnected: 'neutral',
  error: 'danger',
};
const LABEL: Record<IntegrationState, MessageKey> = {
  connected: 'integrations.status.connected',
  disconnected: 'integrations.status.disconnected',
  error: 'integrations.status.error',
};

/** One platform: logo, name, description, status, last activity, and "Conectar" or "Gestionar". */
export function IntegrationCard({
  platform,
  integration,
  comingSoon,
  canManage,
  busy,
  onConnect,
  onEdit,
  onTest,
  onToggleActive,
  onDelete,
}: IntegrationCardProps): React.JSX.Element {
  const { t, locale } = useI18n();
  const titleId = useId();
  const name = platform === 'WHATSAPP' ? t('integrations.whatsapp') : t('integrations.telegram');
  const description =
    platform === 'WHATSAPP'
      ? t('integrations.whatsappDescription')
      : t('integrations.telegramDescription');

  let badge: React.JSX.Element;
  if (comingSoon) badge = <Badge tone="info">{t('integrations.comingSoon')}</Badge>;
  else if (!integration) badge = <Badge>{t('integrations.status.notConfigured')}</Badge>;
  else
    badge = (
      <Badge tone={TONE[integration.status]} dot>
        {t(LABEL[integration.status])}
      </Badge>
    );

  return (
    <Card as="article" aria-labelledby={titleId} className="stack-sm">
      <div className="card-header">
        <div className="row" style={{ flexWrap: 'nowrap' }}>
          <span
            className={`integration-logo integration-logo-${platform === 'WHATSAPP' ? 'whatsapp' : 'telegram'}`}
          >
            <ChannelIcon channel={platform === 'WHATSAPP' ? 'whatsapp' : 'telegram'} size={34} />
          </span>
          <h2 id={titleId} style={{ fontSize: 'var(--text-md)' }}>
            {name}
          </h2>
        </div>
        {badge}
      </div>
      <p className="small muted">{description}</p>
      {integration ? (
        <div className="small stack-sm">
          {integration.connection?.displayPhoneNumber ? (
            <p>
              <span className="muted">{t('integrations.number')}: </span>
              <strong>{integration.connection.displayPhoneNumber}</strong>
              {integration.connection.verifiedName
                ? ` · ${integration.connection.verifiedName}`
                : ''}
            </p>
          ) : null}
          <AccountHealthSummary
            account={integration.account}
            connection={integration.connection}
            lastTestedAt={integration.lastTestedAt}
          />
          <p className="muted">
            {integration.lastActivity
              ? t('integrations.lastActivity', {
                  time: relativeTime(integration.lastActivity, locale),
                })
              : t('integrations.noActivity')}
          </p>
        </div>
      ) : null}
      {integration?.status === 'error' && integration.errorType ? (
        <p className="field-error" role="status">
          {codeMessage(integration.errorType, t)}
        </p>
      ) : null}
      {integration && !integration.isActive ? (
        <p className="notice small" role="status">
          {t('integrations.disconnectedWhy')}
        </p>
      ) : null}
      <div className="row" style={{ justifyContent: 'flex-end', marginTop: 'auto' }}>
        {comingSoon ? (
          <Button disabled>{t('integrations.comingSoon')}</Button>
        ) : !integration ? (
          <Button variant="primary" onClick={onConnect} disabled={!canManage}>
            {t('integrations.connect')}
          </Button>
        ) : canManage ? (
          <>
            {!integration.isActive ? (
              <Button variant="primary" loading={busy} onClick={() => onToggleActive?.(true)}>
                {t('integrations.reconnect')}
              </Button>
            ) : null}
            <ManageMenu
              name={name}
              busy={busy}
              isActive={integration.isActive}
              onEdit={onEdit}
              onTest={onTest}
              onToggleActive={onToggleActive}
              onDelete={onDelete}
            />
          </>
        ) : null}
      </div>
    </Card>
  );
}

function ManageMenu({
  name,
  busy,
  isActive,
  onEdit,
  onTest,
  onToggleActive,
  onDelete,
}: {
  name: string;
  busy?: boolean;
  isActive: boolean;
  onEdit?: () => void;
  onTest?: () => void;
  onToggleActive?: (isActive: boolean) => void;
  onDelete?: () => void;
}): React.JSX.Element {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    wrap.current?.querySelector<HTMLButtonElement>('.menu-list button')?.focus();
    const node = wrap.current;
    const onDoc = (e: MouseEvent): void => {
      if (!node?.contains(e.target as Node)) setOpen(false);
    };
    // Escape inside the open menu closes it and gives focus back to its button.
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setOpen(false);
      trigger.current?.focus();
    };
    document.addEventListener('mousedown', onDoc);
    node?.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      node?.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const choose = (fn?: () => void) => () => {
    setOpen(false);
    trigger.current?.focus();
    fn?.();
  };

  return (
    <div className="menu" ref={wrap}>
      <Button
        ref={trigger}
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={t('integrations.manageMenu', { name })}
        loading={busy}
        onClick={() => setOpen((o) => !o)}
      >
        {t('integrations.manage')} ▾
      </Button>
      {open ? (
        <div className="menu-list" id={menuId}>
          <button type="button" onClick={choose(onEdit)}>
            {t('common.edit')}
          </button>
          <button type="button" onClick={choose(onTest)}>
            {t('integrations.testConnection')}
          </button>
          <button type="button" onClick={choose(() => onToggleActive?.(!isActive))}>
            {isActive ? t('integrations.disconnect') : t('integrations.reconnect')}
          </button>
          <button type="button" className="danger" onClick={choose(onDelete)}>
            {t('integrations.delete')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
