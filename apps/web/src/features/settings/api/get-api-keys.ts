import type { ApiKeyView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { settingsKeys } from './keys';

export function getApiKeys(): Promise<ApiKeyView[]> {
  return apiGet<ApiKeyView[]>('/api/v1/api-keys');
}

export const apiKeysQueryOptions = () =>
  queryOptions({ queryKey: settingsKeys.apiKeys(), queryFn: getApiKeys });

export function useApiKeys() {
  return useQuery(apiKeysQueryOptions());
}
