import type { PublicChatPollResponse } from '@conecta/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiGet, query } from '../../../lib/api-client';
import { chatbotKeys } from './keys';

/** How often a visitor's chat asks for the team's replies. */
export const TEAM_REPLIES_POLL_MS = 3000;

/** The team's replies in a visitor's conversation since `after` (as a site's chat polls for them). */
export function getTeamReplies(
  publicId: string,
  sessionId: string,
  after: string,
): Promise<PublicChatPollResponse> {
  return apiGet<PublicChatPollResponse>(
    `/api/v1/public/chatbots/${encodeURIComponent(publicId)}/messages${query({ sessionId, after })}`,
  );
}

export function useTeamReplies(publicId: string, sessionId: string | undefined, after: string) {
  return useQuery({
    queryKey: chatbotKeys.teamReplies(publicId, sessionId ?? ''),
    queryFn: () => getTeamReplies(publicId, sessionId ?? '', after),
    enabled: sessionId !== undefined,
    refetchInterval: TEAM_REPLIES_POLL_MS,
  });
}
