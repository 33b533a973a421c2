import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { EmptyState, ErrorState } from '../../../components/empty-state';
import { SkeletonList } from '../../../components/skeleton';
import { errorMessage } from '../../../lib/error-message';
import { dateTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';
import { auditAction, auditActor, auditTarget } from '../api/audit-words';
import { useAuditLog } from '../api/get-audit-log';

export function AuditLogPanel(): React.JSX.Element {
  const { t, locale } = useI18n();
  const log = useAuditLog();
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card className="stack" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('settings.audit')}</h2>
      {log.isPending ? (
        <SkeletonList label={t('common.loading')} rows={4} height={32} />
      ) : log.isError && !log.data ? (
        <ErrorState
          message={errorMessage(log.error, t)}
          onRetry={() => void log.refetch()}
          retryLabel={t('common.retry')}
        />
      ) : items.length === 0 ? (
        <EmptyState title={t('settings.auditEmpty')} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('settings.auditWhen')}</th>
                <th scope="col">{t('settings.auditActor')}</th>
                <th scope="col">{t('settings.auditAction')}</th>
                <th scope="col">{t('settings.auditTarget')}</th>
                <th scope="col">{t('settings.auditOutcome')}</th>
                <th scope="col">{t('settings.auditIp')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>{dateTime(e.createdAt, locale)}</td>
                  <td>{auditActor(e, t)}</td>
                  <td>{auditAction(e, t)}</td>
                  <td>{auditTarget(e, t)}</td>
                  <td>
                    <Badge tone={e.outcome === 'success' ? 'success' : 'danger'}>
                      {t(`settings.outcome.${e.outcome}`)}
                    </Badge>
                  </td>
                  <td>{e.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage ? (
        <div>
          <Button
            size="sm"
            onClick={() => void log.fetchNextPage()}
            loading={log.isFetchingNextPage}
          >
            {t('common.loadMore')}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
