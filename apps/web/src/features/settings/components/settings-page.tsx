import { EmptyState } from '../../../components/empty-state';
import { LanguageSwitcher } from '../../../components/language-switcher';
import { useI18n } from '../../../lib/i18n/i18n';
import { useIsAdmin } from '../../../lib/session';
import { ProfilePanel } from './profile-panel';
import { TeamPanel } from './team-panel';
import { ApiKeysPanel } from './api-keys-panel';
import { AuditLogPanel } from './audit-log-panel';

export function SettingsPage(): React.JSX.Element {
  const { t } = useI18n();
  const isAdmin = useIsAdmin();
  return (
    <>
      <header className="page-header">
        <h1>{t('settings.title')}</h1>
        <div style={{ minWidth: 160 }}>
          <LanguageSwitcher />
        </div>
      </header>
      {isAdmin ? <TeamPanel /> : null}
      <ProfilePanel />
      {isAdmin ? (
        <>
          <ApiKeysPanel />
          <AuditLogPanel />
        </>
      ) : (
        <EmptyState title={t('settings.adminOnly')} />
      )}
    </>
  );
}
