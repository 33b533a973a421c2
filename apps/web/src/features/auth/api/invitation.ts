import {
  AUTH_RULES,
  TEAM_RULES,
  type AcceptInvitationRequest,
  type InvitationPreview,
  type MeResponse,
} from '@conecta/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost } from '../../../lib/api-client';
import { authKeys } from './keys';

export const ACCEPT_RULES = { name: TEAM_RULES.userName, password: AUTH_RULES.newPassword };

export function getInvitationPreview(token: string): Promise<InvitationPreview> {
  return apiGet<InvitationPreview>(`/api/v1/public/invitations/${encodeURIComponent(token)}`);
}

export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: authKeys.invitation(token),
    queryFn: () => getInvitationPreview(token),
    retry: false,
  });
}

export function acceptInvitation(input: AcceptInvitationRequest): Promise<MeResponse> {
  return apiPost<MeResponse>('/api/v1/public/invitations/accept', input);
}

/** Accepting signs the person in: the answer becomes the session's `me`. */
export function useAcceptInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: acceptInvitation,
    onSuccess: (me) => qc.setQueryData(authKeys.me(), me),
  });
}
