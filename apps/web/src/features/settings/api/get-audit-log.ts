import type { AuditPage } from '@conecta/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiGet, query } from '../../../lib/api-client';
import { settingsKeys } from './keys';

export function getAuditLog(cursor?: string): Promise<AuditPage> {
  return apiGet<AuditPage>(`/api/v1/audit-log${query({ cursor, limit: 50 })}`);
}

export const auditLogQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: settingsKeys.audit(),
    queryFn: ({ pageParam }) => getAuditLog(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export function useAuditLog() {
  return useInfiniteQuery(auditLogQueryOptions());
}
