import type { TeamUserView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { teamKeys } from './team-keys';

export function getUsers(): Promise<TeamUserView[]> {
  return apiGet<TeamUserView[]>('/api/v1/users');
}

export const usersQueryOptions = () =>
  queryOptions({ queryKey: teamKeys.users(), queryFn: getUsers });

export function useUsers() {
  return useQuery(usersQueryOptions());
}
