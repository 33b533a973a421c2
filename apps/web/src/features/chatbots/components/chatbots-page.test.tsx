import type { CreateChatbotRequest, UpdateChatbotRequest } from '@conecta/contracts';
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

  it('edits the handoff: keywords, triggers, message and the idle time before the bot resumes', async () => {
    const patched: UpdateChatbotRequest[] = [];
    server.use(
      http.patch('*/api/v1/chatbots/:id', async ({ request }) => {
        const body = (await request.json()) as UpdateChatbotRequest;
        patched.push(body);
        return HttpResponse.json(chatbot());
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<ChatbotsPage />);
    const keywords = await screen.findByRole('textbox', {
      name: /Palabras con las que el cliente pide una persona/,
    });
    await user.clear(keywords);
    await user.type(keywords, 'asesor, hablar con alguien');
    await user.click(
      screen.getByRole('checkbox', { name: 'También cuando el bot no tiene respuesta' }),
    );
    const message = screen.getByRole('textbox', { name: /Mensaje al pasar a una persona/ });
    await user.clear(message);
    await user.type(message, 'Te atiende una persona enseguida.');
    const resume = screen.getByRole('textbox', { name: /Minutos sin respuesta del equipo/ });
    await user.clear(resume);
    await user.click(screen.getByRole('checkbox', { name: 'Indicar el horario del equipo' }));
    await user.click(screen.getByRole('checkbox', { name: 'Vie' }));
    await user.type(
      screen.getByRole('textbox', { name: /Mensaje fuera de horario/ }),
      'Volvemos el lunes a las 9.',
    );
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(patched).toHaveLength(1));
    expect(patched[0].handoff).toEqual({
      keywords: ['asesor', 'hablar con alguien'],
      onFallback: true,
      onLlmRequest: true,
      message: 'Te atiende una persona enseguida.',
      resumeAfterMinutes: null,
      openingHours: {
        timeZone: expect.any(String),
        weekdays: [1, 2, 3, 4],
        from: '09:00',
        to: '18:00',
      },
      outsideHoursMessage: 'Volvemos el lunes a las 9.',
    });
  });

  it('edits the opt-out keywords, their answers and the one-message setting; refuses a keyword in both lists under the field', async () => {
    const patched: UpdateChatbotRequest[] = [];
    server.use(
      http.patch('*/api/v1/chatbots/:id', async ({ request }) => {
        const body = (await request.json()) as UpdateChatbotRequest;
        patched.push(body);
        return HttpResponse.json(chatbot());
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<ChatbotsPage />);
    const optOut = await screen.findByRole('textbox', { name: /Palabras para darse de baja/ });
    expect(optOut).toHaveValue('STOP, BAJA, CANCELAR, NO MOLESTAR');
    const optIn = screen.getByRole('textbox', { name: /Palabras para volver a recibirlos/ });
    await user.clear(optOut);
    await user.type(optOut, 'BASTA, Ya no');
    await user.clear(optIn);
    await user.type(optIn, 'básta');
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    expect(
      await screen.findByText('Una misma palabra no puede dar de baja y de alta a la vez.'),
    ).toBeInTheDocument();
    expect(optIn).toHaveAccessibleDescription(/Una misma palabra no puede/);
    expect(patched).toHaveLength(0);

    await user.clear(optIn);
    await user.type(optIn, 'VOLVER');
    const answer = screen.getByRole('textbox', { name: /Respuesta a la baja/ });
    await user.clear(answer);
    await user.type(answer, 'Hecho: sin promociones.');
    await user.click(
      screen.getByRole('checkbox', { name: 'Respuestas del bot en un solo mensaje de WhatsApp' }),
    );
    await user.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() => expect(patched).toHaveLength(1));
    expect(patched[0].consent).toEqual({
      optOutKeywords: ['BASTA', 'Ya no'],
      optInKeywords: ['VOLVER'],
      optOutConfirmation: 'Hecho: sin promociones.',
      optInConfirmation: chatbot().consent.optInConfirmation,
    });
    expect(patched[0].singleMessageReplies).toBe(true);
  });

  it("shows a team member's reply in the test chat when a person handles the conversation", async () => {
    const polls: URLSearchParams[] = [];
    server.use(
      http.post('*/api/v1/public/chatbots/:publicId/messages', () =>
        HttpResponse.json({ sessionId: 'sess-0001', reply: null }),
      ),
      http.get('*/api/v1/public/chatbots/:publicId/messages', ({ request }) => {
        polls.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          items: [
            { id: 'm9', content: 'Hola, soy Ana del equipo', createdAt: new Date().toISOString() },
          ],
        });
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<ChatbotsPage />);
    await user.type(
      await screen.findByRole('textbox', { name: 'Mensaje de prueba' }),
      'quiero un humano',
    );
    await user.click(screen.getByRole('button', { name: 'Enviar' }));
    const log = screen.getByRole('log', { name: 'Probar el chat' });
    await waitFor(() => expect(log).toHaveTextContent('Hola, soy Ana del equipo'));
    expect(log).toHaveTextContent('quiero un humano');
    expect(polls[0]?.get('sessionId')).toBe('sess-0001');
  });
});
