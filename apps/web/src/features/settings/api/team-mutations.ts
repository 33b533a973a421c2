import {
  AUTH_RULES,
  type CreatedInvitationResponse,
  type CreateInvitationRequest,
  type Role,
  type TeamUserView,
} from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiPatch, apiPost } from '../../../lib/api-client';
import { teamKeys } from './team-keys';

export const INVITE_RULES = {
  email: { ...AUTH_RULES.email, patternMessage: 'validation.email' },
};

function enc(id: string): string {
  return encodeURIComponent(id);
}

export function createInvitation(
  input: CreateInvitationRequest,
): Promise<CreatedInvitationResponse> {
  return apiPost<CreatedInvitationResponse>('/api/v1/invitations', input);
}

export function revokeInvitation(id: string): Promise<void> {
  return apiDelete(`/api/v1/invitations/${enc(id)}`);
}

export function changeRole(input: { id: string; role: Role }): Promise<TeamUserView> {
  return apiPatch<TeamUserView>(`/api/v1/users/${enc(input.id)}`, { role: input.role });
}

export function setActive(input: { id: string; active: boolean }): Promise<TeamUserView> {
  const verb = input.active ? 'reactivate' : 'deactivate';
  return apiPost<TeamUserView>(`/api/v1/users/${enc(input.id)}/${verb}`);
}

export function removeUser(id: string): Promise<void> {
  return apiDelete(`/api/v1/users/${enc(id)}`);
}

/** A team mutation that refreshes users, invitations (and the audit log) when it succeeds. */
function useTeamMutation<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: teamKeys.all }),
  });
}

export const useCreateInvitation = () => useTeamMutation(createInvitation);
export const useRevokeInvitation = () => useTeamMutation(revokeInvitation);
export const useChangeRole = () => useTeamMutation(changeRole);
export const useSetActive = () => useTeamMutation(setActive);
export const useRemoveUser = () => useTeamMutation(removeUser);
