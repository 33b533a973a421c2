import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet, query } from '../../../lib/api-client';
import { integrationKeys } from './keys';
import type { IntegrationStatus } from './types';

export function getIntegrations(chatbotId: string): Promise<IntegrationStatus[]> {
  return apiGet<IntegrationStatus[]>(`/api/v1/integrations${query({ chatbotId })}`);
}

export const integrationsQueryOptions = (chatbotId: string) =>
  queryOptions({
    queryKey: integrationKeys.list(chatbotId),
    queryFn: () => getIntegrations(chatbotId),
  });

export function useIntegrations(chatbotId: string | null) {
  return useQuery({ ...integrationsQueryOptions(chatbotId ?? ''), enabled: Boolean(chatbotId) });
}
