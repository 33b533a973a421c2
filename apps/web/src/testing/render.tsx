import type { MeResponse } from '@conecta/contracts';
import { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders } from '../app/providers';
import type { Language } from '../lib/i18n/i18n';
import { SessionProvider } from '../lib/session';
import { adminMe, CHATBOT_ID } from './fixtures';

export interface RenderOptions {
  /** The URL to start at. */
  route?: string;
  /** The route pattern the element is mounted at (for params). */
  path?: string;
  me?: MeResponse;
  language?: Language;
  chatbotId?: string | null;
}

export interface Rendered extends RenderResult {
  queryClient: QueryClient;
  router: ReturnType<typeof createMemoryRouter>;
}

/** Renders a screen with the app's providers, a signed-in session and a memory router. */
export function renderWithApp(ui: ReactNode, options: RenderOptions = {}): Rendered {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchInterval: false, staleTime: Infinity, gcTime: Infinity },
      mutations: { retry: false },
    },
  });
  const path = options.path ?? '*';
  const screenRoute = {
    path,
    element: <SessionProvider me={options.me ?? adminMe}>{ui}</SessionProvider>,
  };
  // Where the screen navigates to (another page) renders nothing, so tests can read the location.
  const router = createMemoryRouter(
    path === '*' ? [screenRoute] : [screenRoute, { path: '*', element: null }],
    { initialEntries: [options.route ?? '/'] },
  );
  const result = render(
    <AppProviders
      client={queryClient}
      language={options.language ?? 'es'}
      chatbotId={options.chatbotId === undefined ? CHATBOT_ID : options.chatbotId}
    >
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...result, queryClient, router };
}
