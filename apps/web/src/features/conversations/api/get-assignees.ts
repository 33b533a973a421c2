import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { conversationKeys } from './keys';

export interface Assignee {
  id: string;
  name: string;
}

export function getAssignees(): Promise<Assignee[]> {
  return apiGet<Assignee[]>('/api/v1/conversations/assignees');
}

export const assigneesQueryOptions = () =>
  queryOptions({
    queryKey: conversationKeys.assignees(),
    queryFn: getAssignees,
    staleTime: 60_000,
  });

/** `enabled`: false until the thread is known to exist. */
export function useAssignees(enabled = true) {
  return useQuery({ ...assigneesQueryOptions(), enabled });
}
