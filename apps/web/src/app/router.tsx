import { lazy, Suspense, type ComponentProps, type ComponentType } from 'react';
import { createBrowserRouter, Navigate, useLocation, type RouteObject } from 'react-router';
import { ErrorState } from '../components/empty-state';
import { SkeletonList } from '../components/skeleton';
import { useMe } from '../features/auth/api/get-me';
import { useCurrentChatbot } from '../features/chatbots/hooks/use-current-chatbot';
import { useIntegrations } from '../features/integrations/api/get-integrations';
import { useI18n } from '../lib/i18n/i18n';
import { SessionProvider } from '../lib/session';
import { AppLayout } from './layout';

/** A page loaded on first visit (its own chunk), with the skeleton (or nothing) meanwhile. */
function lazyPage<P extends object>(
  load: () => Promise<ComponentType<P>>,
  { quiet = false }: { quiet?: boolean } = {},
): ComponentType<P> {
  const Page = lazy(async () => ({ default: await load() }));
  function LazyPage(props: P): React.JSX.Element {
    return (
      <Suspense fallback={quiet ? null : <PageLoading />}>
        <Page {...(props as ComponentProps<typeof Page>)} />
      </Suspense>
    );
  }
  return LazyPage;
}

function PageLoading(): React.JSX.Element {
  const { t } = useI18n();
  return <SkeletonList label={t('common.loading')} rows={4} height={64} />;
}

// Route-level code splitting: each page is its own chunk, loaded when first visited.
const SignInPage = lazyPage(
  async () => (await import('../features/auth/components/sign-in-page')).SignInPage,
);
const AcceptInvitationPage = lazyPage(
  async () =>
    (await import('../features/auth/components/accept-invitation-page')).AcceptInvitationPage,
);
const ConversationsPage = lazyPage(
  async () =>
    (await import('../features/conversations/components/conversations-page')).ConversationsPage,
);
const DemoPanel = lazyPage(
  async () => (await import('../features/demo/components/demo-panel')).DemoPanel,
  { quiet: true },
);
const WhatsAppStatusBanner = lazyPage(
  async () =>
    (await import('../features/integrations/components/whatsapp-status-banner'))
      .WhatsAppStatusBanner,
  { quiet: true },
);
const IntegrationsPage = lazyPage(
  async () =>
    (await import('../features/integrations/components/integrations-page')).IntegrationsPage,
);
const ChatbotsPage = lazyPage(
  async () => (await import('../features/chatbots/components/chatbots-page')).ChatbotsPage,
);
const SettingsPage = lazyPage(
  async () => (await import('../features/settings/components/settings-page')).SettingsPage,
);

function FullPageLoading(): React.JSX.Element {
  const { t } = useI18n();
  return (
    <div className="signin">
      <div style={{ width: 320 }}>
        <SkeletonList label={t('common.loading')} rows={3} height={24} />
      </div>
    </div>
  );
}

function RequireAuth(): React.JSX.Element {
  const { t } = useI18n();
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <FullPageLoading />;
  if (me.isError) {
    return (
      <div className="signin">
        <ErrorState
          message={t('common.loadError')}
          onRetry={() => void me.refetch()}
          retryLabel={t('common.retry')}
        />
      </div>
    );
  }
  if (!me.data)
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <SessionProvider me={me.data}>
      <AppLayout />
    </SessionProvider>
  );
}

function SignInRoute(): React.JSX.Element {
  const me = useMe();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/conversations';
  if (me.isPending) return <FullPageLoading />;
  if (me.data) return <Navigate to={from} replace />;
  return <SignInPage />;
}

/** Pages scoped to the chosen chatbot wait for the chatbot list first. */
function WithChatbot({
  render,
}: {
  render: (chatbotId: string | null) => React.JSX.Element;
}): React.JSX.Element {
  const { t } = useI18n();
  const { chatbot, isPending, isError, refetch } = useCurrentChatbot();
  if (isPending) return <SkeletonList label={t('common.loading')} rows={4} height={64} />;
  if (isError)
    return (
      <ErrorState
        message={t('common.loadError')}
        onRetry={refetch}
        retryLabel={t('common.retry')}
      />
    );
  return render(chatbot?.id ?? null);
}

/** The demo panel, told whether the chatbot has its WhatsApp connected (another feature's data). */
function DemoAside({ chatbotId }: { chatbotId: string | null }): React.JSX.Element {
  const integrations = useIntegrations(chatbotId);
  const whatsapp = integrations.data
    ? (integrations.data.find((i) => i.platform === 'WHATSAPP') ?? null)
    : undefined;
  return <DemoPanel chatbotId={chatbotId} whatsapp={whatsapp} />;
}

/** The conversations, told what the chatbot's WhatsApp needs (another feature's data). */
function ConversationsRoute({ chatbotId }: { chatbotId: string | null }): React.JSX.Element {
  const integrations = useIntegrations(chatbotId);
  const whatsapp = integrations.data?.find((i) => i.platform === 'WHATSAPP');
  return (
    <ConversationsPage
      chatbotId={chatbotId}
      aside={<DemoAside chatbotId={chatbotId} />}
      banner={<WhatsAppStatusBanner chatbotId={chatbotId} />}
      whatsapp={
        !integrations.data ? null : !whatsapp ? 'connect' : whatsapp.isActive ? null : 'reactivate'
      }
    />
  );
}

const conversations = <WithChatbot render={(id) => <ConversationsRoute chatbotId={id} />} />;

export const routes: RouteObject[] = [
  { path: '/login', element: <SignInRoute /> },
  { path: '/invitacion/:token', element: <AcceptInvitationPage /> },
  {
    path: '/',
    element: <RequireAuth />,
    children: [
      { index: true, element: <Navigate to="/conversations" replace /> },
      { path: 'conversations', element: conversations },
      { path: 'conversations/:conversationId', element: conversations },
      {
        path: 'integrations',
        element: <WithChatbot render={(id) => <IntegrationsPage chatbotId={id} />} />,
      },
      { path: 'chatbots', element: <ChatbotsPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: '*', element: <Navigate to="/conversations" replace /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
