import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isNetworkError } from '../lib/api-client';
import { useI18n } from '../lib/i18n/i18n';

const RETRY_MS = 5000;

/**
 * "Sin conexión. Reintentando…" while the API is unreachable. Pages keep what they showed (a failed
 * refetch keeps its data); the banner retries the failed queries until one answers.
 */
export function OfflineBanner(): React.JSX.Element | null {
  const { t } = useI18n();
  const client = useQueryClient();
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    const cache = client.getQueryCache();
    const check = (): void =>
      setOffline(
        cache.getAll().some((q) => q.state.status === 'error' && isNetworkError(q.state.error)),
      );
    check();
    return cache.subscribe(check);
  }, [client]);
  useEffect(() => {
    if (!offline) return;
    const timer = window.setInterval(() => {
      void client.refetchQueries({ predicate: (q) => q.state.status === 'error' });
    }, RETRY_MS);
    return () => window.clearInterval(timer);
  }, [client, offline]);
  if (!offline) return null;
  return (
    <div className="notice offline-banner" role="status">
      {t('common.offline')}
    </div>
  );
}
