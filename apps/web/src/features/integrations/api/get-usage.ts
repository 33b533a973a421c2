import type { UsageView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet, query } from '../../../lib/api-client';
import { integrationKeys } from './keys';

/** One number's delivered messages of a month, as Meta priced them (`GET /api/v1/usage`). */
export function getUsage(integrationId: string, month: string): Promise<UsageView> {
  return apiGet<UsageView>(`/api/v1/usage${query({ integrationId, month })}`);
}

export const usageQueryOptions = (integrationId: string, month: string) =>
  queryOptions({
    queryKey: integrationKeys.usage(integrationId, month),
    queryFn: () => getUsage(integrationId, month),
  });

export function useUsage(integrationId: string, month: string) {
  return useQuery(usageQueryOptions(integrationId, month));
}
