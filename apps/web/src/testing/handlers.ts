import { http, HttpResponse } from 'msw';
import { adminMe, assignees, chatbot, rateCard, usage } from './fixtures';

/** What every screen asks for; tests override per case with `server.use(...)`. */
export const defaultHandlers = [
  http.get('*/api/v1/auth/me', () => HttpResponse.json(adminMe)),
  http.get('*/api/v1/chatbots', () => HttpResponse.json([chatbot()])),
  http.get('*/api/v1/demo', () => HttpResponse.json({ enabled: false })),
  http.get('*/api/v1/conversations/assignees', () => HttpResponse.json(assignees)),
  http.get('*/api/v1/usage/rate-card', () => HttpResponse.json(rateCard())),
  http.get('*/api/v1/usage', ({ request }) => {
    const url = new URL(request.url);
    return HttpResponse.json(
      usage({
        integrationId: url.searchParams.get('integrationId') ?? '',
        month: url.searchParams.get('month') ?? '',
      }),
    );
  }),
];
