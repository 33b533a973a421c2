import type { MeResponse } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from '../../../lib/api-client';
import { authKeys } from './keys';

/** The signed-in user, or null when there is no session (401). */
export async function getMe(): Promise<MeResponse | null> {
  try {
    return await apiGet<MeResponse>('/api/v1/auth/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const meQueryOptions = () =>
  queryOptions({ queryKey: authKeys.me(), queryFn: getMe, staleTime: 5 * 60_000, retry: false });

export function useMe() {
  return useQuery(meQueryOptions());
}
