export const chatbotKeys = {
  all: ['chatbots'] as const,
  lists: () => [...chatbotKeys.all, 'list'] as const,
  detail: (id: string) => [...chatbotKeys.all, 'detail', id] as const,
  teamReplies: (publicId: string, sessionId: string) =>
    [...chatbotKeys.all, 'team-replies', { publicId, sessionId }] as const,
};
