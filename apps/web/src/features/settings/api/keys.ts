export const settingsKeys = {
  all: ['settings'] as const,
  apiKeys: () => [...settingsKeys.all, 'api-keys'] as const,
  audit: () => [...settingsKeys.all, 'audit-log'] as const,
};
