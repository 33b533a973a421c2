export const integrationKeys = {
  all: ['integrations'] as const,
  lists: () => [...integrationKeys.all, 'list'] as const,
  list: (chatbotId: string) => [...integrationKeys.lists(), { chatbotId }] as const,
  detail: (id: string) => [...integrationKeys.all, 'detail', id] as const,
  usage: (integrationId: string, month: string) =>
    [...integrationKeys.all, 'usage', { integrationId, month }] as const,
};
