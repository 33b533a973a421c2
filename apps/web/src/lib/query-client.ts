import { QueryClient } from '@tanstack/react-query';
import { shouldRetry } from './api-client';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 15_000, retry: shouldRetry, refetchOnWindowFocus: false },
  },
});
