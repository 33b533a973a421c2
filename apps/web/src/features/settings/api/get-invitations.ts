import type { InvitationView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { teamKeys } from './team-keys';

export function getInvitations(): Promise<InvitationView[]> {
  return apiGet<InvitationView[]>('/api/v1/invitations');
}

export const invitationsQueryOptions = () =>
  queryOptions({ queryKey: teamKeys.invitations(), queryFn: getInvitations });

export function useInvitations() {
  return useQuery(invitationsQueryOptions());
}
