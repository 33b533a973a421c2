export const integrationKeys = {
  all: ['integrations'] as const,
  lists: () => [...integrationKeys.all, 'list'] as const,
  list: (chatbotId: string) => [...integrationKeys.lists(), { chatbotId }] as const,
  detail: (id: string) => [...integrationKeys.all, 'detail', id] as const,
  usage: (integrationId: string, month: string) =>
    [...integrationKeys.usages(), { integrationId, month }] as const,
  usages: () => [...integrationKeys.all, 'usage'] as const,
  rateCard: () => [...integrationKeys.all, 'rate-card'] as const,
};
