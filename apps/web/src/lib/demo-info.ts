import type { DemoInfo } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from './api-client';

/** Whether the server runs its embedded demo (fake Meta); a server without the endpoint has none. */
export async function getDemoInfo(): Promise<DemoInfo> {
  try {
    return await apiGet<DemoInfo>('/api/v1/demo');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { enabled: false };
    throw error;
  }
}

export const demoInfoQueryOptions = () =>
  queryOptions({
    queryKey: ['demo', 'info'] as const,
    queryFn: getDemoInfo,
    staleTime: Infinity,
    retry: false,
  });

export function useDemoInfo() {
  return useQuery(demoInfoQueryOptions());
}
