import type { CreateChatbotRequest } from '@conecta/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { chatbot } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { ChatbotsPage } from './chatbots-page';

describe('ChatbotsPage', () => {
  // jsdom has no layout: the test chat scrolls its log to the end.
  beforeAll(() => {
    Element.prototype.scrollTo = function scrollTo(): void {};
  });

  it.each([
    ['es', 'Nuevo chatbot'],
    ['en', 'New chatbot'],
  ] as const)(
    'names a second chatbot "Chatbot 2" (%s), not "Chatbots 2"',
    async (language, button) => {
      const posted: CreateChatbotRequest[] = [];
      server.use(
        http.post('*/api/v1/chatbots', async ({ request }) => {
          const body = (await request.json()) as CreateChatbotRequest;
          posted.push(body);
          return HttpResponse.json(chatbot({ id: '65a000000000000000000002', name: body.name }));
        }),
      );
      const user = userEvent.setup();
      renderWithApp(<ChatbotsPage />, { language });
      await user.click(await screen.findByRole('button', { name: new RegExp(button) }));
      await waitFor(() => expect(posted).toHaveLength(1));
      expect(posted[0].name).toBe('Chatbot 2');
    },
  );
});
