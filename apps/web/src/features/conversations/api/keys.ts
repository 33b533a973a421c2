import type { Channel, ConversationStatus } from '@conecta/contracts';

export interface ConversationFilters {
  chatbotId: string;
  channel?: Channel;
  status?: ConversationStatus;
  favorite?: boolean;
  /** `mine`, `unassigned` or a user id. */
  assignee?: string;
  q?: string;
}

export const conversationKeys = {
  all: ['conversations'] as const,
  lists: () => [...conversationKeys.all, 'list'] as const,
  list: (filters: ConversationFilters) => [...conversationKeys.lists(), filters] as const,
  assignees: () => [...conversationKeys.all, 'assignees'] as const,
  counts: (chatbotId: string) => [...conversationKeys.all, 'counts', { chatbotId }] as const,
  details: () => [...conversationKeys.all, 'detail'] as const,
  detail: (id: string) => [...conversationKeys.details(), id] as const,
  messages: (id: string) => [...conversationKeys.detail(id), 'messages'] as const,
  templates: (integrationId: string) =>
    [...conversationKeys.all, 'templates', { integrationId }] as const,
};
