import { NavLink, Outlet, useNavigate } from 'react-router';
import { Button } from '../components/button';
import { Icon } from '../components/icons';
import { OfflineBanner } from '../components/offline-banner';
import { ChatbotSwitcher } from '../features/chatbots/components/chatbot-switcher';
import { useLogout } from '../features/auth/api/logout';
import { useI18n } from '../lib/i18n/i18n';
import { useSession } from '../lib/session';

const NAV = [
  { to: '/conversations', key: 'nav.conversations', icon: 'chat' },
  { to: '/integrations', key: 'nav.integrations', icon: 'plug' },
  { to: '/chatbots', key: 'nav.chatbots', icon: 'bot' },
  { to: '/settings', key: 'nav.settings', icon: 'gear' },
] as const;

export function AppLayout(): React.JSX.Element {
  const { t } = useI18n();
  const me = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <ChatbotSwitcher />
        <nav aria-label={t('nav.label')} className="nav">
          {NAV.map((n) => (
            <NavLink key={n.to} to={n.to}>
              <Icon name={n.icon} />
              <span className="nav-label">{t(n.key)}</span>
            </NavLink>
          ))}
        </nav>
        <div className="sidebar-footer">
          {me ? (
            <div className="user-chip">
              <strong>{me.user.name || me.user.email}</strong>
              <span className="muted small">
                {me.user.email} · {t(`auth.role.${me.user.role}`)}
              </span>
            </div>
          ) : null}
          <Button
            size="sm"
            onClick={() =>
              logout.mutate(undefined, {
                onSettled: () => void navigate('/login', { replace: true }),
              })
            }
            loading={logout.isPending}
          >
            {t('auth.signOut')}
          </Button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        <OfflineBanner />
        <Outlet />
      </main>
    </div>
  );
}
