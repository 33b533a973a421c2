import { lazy, Suspense, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { EmptyState, ErrorState } from '../../../components/empty-state';
import { Skeleton } from '../../../components/skeleton';
import { useToast } from '../../../components/toast';
import { codeMessage, errorMessage } from '../../../lib/error-message';
import { useI18n } from '../../../lib/i18n/i18n';
import { useIsAdmin } from '../../../lib/session';
import { useDeleteIntegration } from '../api/delete-integration';
import { useIntegrations } from '../api/get-integrations';
import { useTestIntegration } from '../api/test-integration';
import { failureReasonText } from '../api/connection-words';
import type { IntegrationStatus } from '../api/types';
import { useSetIntegrationActive } from '../api/update-integration';
import { CostInfo } from './cost-info';
import { IntegrationCard } from './integration-card';
import { UsagePanel } from './usage-panel';

// Its own chunk: most visits to the dashboard never open it.
const WhatsAppIntegrationModal = lazy(() => import('./whatsapp-integration-modal'));

type ModalState = { mode: 'create' } | { mode: 'edit'; integration: IntegrationStatus } | null;

export function IntegrationsPage({ chatbotId }: { chatbotId: string | null }): React.JSX.Element {
  const { t } = useI18n();
  const toast = useToast();
  const isAdmin = useIsAdmin();
  const list = useIntegrations(chatbotId);
  const [modal, setModal] = useState<ModalState>(null);
  const [confirmDelete, setConfirmDelete] = useState<IntegrationStatus | null>(null);
  const [confirmDisconnect, setConfirmDisconnect] = useState<IntegrationStatus | null>(null);
  const setActive = useSetIntegrationActive(chatbotId ?? '');
  const remove = useDeleteIntegration(chatbotId ?? '');
  const test = useTestIntegration();

  const whatsapp = list.data?.find((i) => i.platform === 'WHATSAPP') ?? null;

  function setWhatsAppActive(target: IntegrationStatus, isActive: boolean): void {
    setActive.mutate(
      { id: target.id, isActive },
      {
        onSuccess: () =>
          toast(isActive ? t('integrations.reconnected') : t('integrations.disconnected')),
        onError: () => toast(t('integrations.statusFailed'), 'error'),
      },
    );
  }

  return (
    <>
      <header className="page-header">
        <div className="stack-sm">
          <h1>{t('integrations.title')}</h1>
          <p className="muted">{t('integrations.subtitle')}</p>
        </div>
      </header>
      {!chatbotId ? (
        <EmptyState title={t('chatbots.empty')}>{t('integrations.needChatbot')}</EmptyState>
      ) : list.isPending ? (
        <div className="grid-cards" role="status" aria-busy="true" aria-label={t('common.loading')}>
          <Skeleton height={200} radius={10} />
          <Skeleton height={200} radius={10} />
        </div>
      ) : list.isError && !list.data ? (
        <ErrorState
          message={errorMessage(list.error, t)}
          onRetry={() => void list.refetch()}
          retryLabel={t('common.retry')}
        />
      ) : (
        <div className="grid-cards">
          <IntegrationCard
            platform="WHATSAPP"
            integration={whatsapp}
            canManage={isAdmin}
            busy={test.isPending || setActive.isPending}
            onConnect={() => setModal({ mode: 'create' })}
            onEdit={() => whatsapp && setModal({ mode: 'edit', integration: whatsapp })}
            onTest={() =>
              whatsapp &&
              test.mutate(
                { id: whatsapp.id },
                {
                  onSuccess: (r) =>
                    toast(
                      r.success
                        ? t('integrations.testOk')
                        : `${t('integrations.testFail')} ${r.reason ? failureReasonText(r.reason, t) : (codeMessage(r.errorType, t) ?? '')}`,
                      r.success ? 'info' : 'error',
                    ),
                  onError: (e) => toast(errorMessage(e, t), 'error'),
                },
              )
            }
            onToggleActive={(isActive) => {
              if (!whatsapp) return;
              // Switching off stops the bot on WhatsApp: ask first; switching on needs no warning.
              if (isActive) setWhatsAppActive(whatsapp, true);
              else setConfirmDisconnect(whatsapp);
            }}
            onDelete={() => whatsapp && setConfirmDelete(whatsapp)}
          />
          <IntegrationCard platform="TELEGRAM" integration={null} comingSoon canManage={false} />
        </div>
      )}
      {whatsapp ? <UsagePanel integrationId={whatsapp.id} /> : null}
      <CostInfo />
      {modal && chatbotId ? (
        <Suspense fallback={null}>
          <WhatsAppIntegrationModal
            chatbotId={chatbotId}
            integration={modal.mode === 'edit' ? modal.integration : null}
            onClose={() => setModal(null)}
            onSaved={(_saved, created) => {
              setModal(null);
              toast(created ? t('integrations.saved') : t('integrations.updated'));
            }}
          />
        </Suspense>
      ) : null}
      {confirmDisconnect ? (
        <Dialog
          title={t('integrations.disconnectTitle')}
          description={t('integrations.disconnectBody')}
          onClose={() => setConfirmDisconnect(null)}
          closeLabel={t('common.close')}
          footer={
            <>
              <Button onClick={() => setConfirmDisconnect(null)}>{t('common.cancel')}</Button>
              <Button
                variant="danger"
                onClick={() => {
                  const target = confirmDisconnect;
                  setConfirmDisconnect(null);
                  setWhatsAppActive(target, false);
                }}
              >
                {t('integrations.disconnect')}
              </Button>
            </>
          }
        />
      ) : null}
      {confirmDelete ? (
        <Dialog
          title={t('integrations.deleteTitle')}
          description={t('integrations.deleteBody')}
          onClose={() => setConfirmDelete(null)}
          closeLabel={t('common.close')}
          footer={
            <>
              <Button onClick={() => setConfirmDelete(null)}>{t('common.cancel')}</Button>
              <Button
                variant="danger"
                onClick={() => {
                  const target = confirmDelete;
                  setConfirmDelete(null);
                  remove.mutate(target.id, {
                    onSuccess: () => toast(t('integrations.deleted')),
                    onError: (e) => toast(errorMessage(e, t), 'error'),
                  });
                }}
              >
                {t('common.delete')}
              </Button>
            </>
          }
        />
      ) : null}
    </>
  );
}
