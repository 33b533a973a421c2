import type {
  ConversationCounts,
  ConversationListItem,
  CursorPage,
  MessagePage,
} from '@conecta/contracts';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { OfflineBanner } from '../../../components/offline-banner';
import { CHATBOT_ID, conversation, counts, mediaView, message } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { ChannelFilter } from './channel-filter';
import { ConversationsPage } from './conversations-page';

const whatsapp = conversation();
const web = conversation({
  id: 'c2',
  channel: 'web',
  contactName: null,
  maskedPhone: null,
  visitorLabel: '#7RJe60',
  lastMessagePreview: '¿Hacéis envíos?',
});

function api(options: { requests?: URLSearchParams[] } = {}) {
  server.use(
    http.get('*/api/v1/conversations/counts', () => HttpResponse.json(counts)),
    http.get('*/api/v1/conversations', ({ request }) => {
      const params = new URL(request.url).searchParams;
      options.requests?.push(params);
      const channel = params.get('channel');
      const items = [whatsapp, web].filter((c) => !channel || c.channel === channel);
      return HttpResponse.json({
        items,
        nextCursor: null,
      } satisfies CursorPage<ConversationListItem>);
    }),
  );
}

const page = <ConversationsPage chatbotId={CHATBOT_ID} />;

describe('ChannelFilter', () => {
  it('shows Todos, Web and WhatsApp with their counts (not the coming-soon Telegram) and marks the chosen one', async () => {
    const onChange = jest.fn();
    const user = userEvent.setup();
    renderWithApp(<ChannelFilter value="whatsapp" counts={counts} onChange={onChange} />);
    const group = screen.getByRole('group', { name: 'Filtrar por canal' });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Todos5', 'Web2', 'WhatsApp3']);
    expect(within(group).getByRole('button', { name: /WhatsApp/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(within(group).getByRole('button', { name: /Todos/ })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    await user.click(within(group).getByRole('button', { name: /Web/ }));
    expect(onChange).toHaveBeenCalledWith('web');
    await user.click(within(group).getByRole('button', { name: /Todos/ }));
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });
});

describe('ConversationsPage', () => {
  it('filters by state and assignee with their counts, shows unread badges and the waiting count in the tab title', async () => {
    const requests: URLSearchParams[] = [];
    server.use(
      http.get('*/api/v1/conversations/counts', () => HttpResponse.json(counts)),
      http.get('*/api/v1/conversations', ({ request }) => {
        requests.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          items: [conversation({ status: 'pending', unreadCount: 3 })],
          nextCursor: null,
        } satisfies CursorPage<ConversationListItem>);
      }),
    );
    const user = userEvent.setup();
    renderWithApp(page, { route: '/conversations', path: '/conversations/:conversationId?' });
    const list = await screen.findByRole('list', { name: 'Conversaciones' });
    expect(within(list).getByLabelText('3 sin leer')).toHaveTextContent('3');
    expect(within(list).getByText('Esperando a una persona')).toBeInTheDocument();
    await waitFor(() => expect(document.title).toBe('(1) Conecta'));
    const assignee = screen.getByRole('combobox', { name: 'Filtrar por responsable' });
    expect(within(assignee).getByRole('option', { name: 'Sin asignar (5)' })).toBeInTheDocument();
    await user.selectOptions(assignee, 'mine');
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Filtrar por estado' }),
      'Esperando a una persona (1)',
    );
    await waitFor(() =>
      expect(
        requests.some((p) => p.get('assignee') === 'mine' && p.get('status') === 'pending'),
      ).toBe(true),
    );
  });

  it('lists conversations of every channel with the channel icon, and masked numbers only', async () => {
    api();
    renderWithApp(page, { route: '/conversations', path: '/conversations/:conversationId?' });
    const list = await screen.findByRole('list', { name: 'Conversaciones' });
    const rows = within(list).getAllByRole('link');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByRole('img', { name: 'WhatsApp' })).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('Lucía');
    expect(rows[0]).toHaveTextContent('•••• 4567');
    expect(within(rows[1]).getByRole('img', { name: 'Web' })).toBeInTheDocument();
    expect(within(rows[1]).getByText('Visitante web')).toBeInTheDocument();
    expect(within(rows[1]).getByText('ID 7RJe60')).toBeInTheDocument();
    expect(rows[1]).not.toHaveTextContent('#7RJe60');
    expect(rows[1]).not.toHaveTextContent('•');
  });

  it('names an unnamed web visitor "Web visitor" in English too', async () => {
    api();
    renderWithApp(page, {
      route: '/conversations',
      path: '/conversations/:conversationId?',
      language: 'en',
    });
    const list = await screen.findByRole('list', { name: 'Conversations' });
    const row = within(list).getAllByRole('link')[1];
    expect(within(row).getByText('Web visitor')).toBeInTheDocument();
    expect(within(row).getByText('ID 7RJe60')).toBeInTheDocument();
  });

  it('never shows a full phone number, even if one reached the browser', async () => {
    server.use(
      http.get('*/api/v1/conversations/counts', () => HttpResponse.json(counts)),
      http.get('*/api/v1/conversations', () =>
        HttpResponse.json({
          items: [
            conversation({
              contactName: null,
              maskedPhone: '+34 600 123 4567',
              visitorLabel: '34600124567',
            }),
            conversation({
              id: 'c3',
              contactName: null,
              maskedPhone: null,
              visitorLabel: '34611987654',
            }),
          ],
          nextCursor: null,
        }),
      ),
    );
    renderWithApp(page, { route: '/conversations', path: '/conversations/:conversationId?' });
    const list = await screen.findByRole('list', { name: 'Conversaciones' });
    expect(list).toHaveTextContent('•••• 4567');
    expect(list).toHaveTextContent('•••• 7654');
    expect(list.textContent).not.toMatch(/\d{5,}/);
    expect(list.textContent).not.toMatch(/600 123/);
  });

  it('filters by channel through the URL and asks the API for that channel only', async () => {
    const requests: URLSearchParams[] = [];
    api({ requests });
    const user = userEvent.setup();
    const { router } = renderWithApp(page, {
      route: '/conversations',
      path: '/conversations/:conversationId?',
    });
    await screen.findByRole('list', { name: 'Conversaciones' });
    await user.click(screen.getByRole('button', { name: /WhatsApp/ }));
    await waitFor(() => expect(router.state.location.search).toBe('?channel=whatsapp'));
    await waitFor(() => expect(screen.getAllByRole('link')).toHaveLength(1));
    expect(requests.at(-1)?.get('channel')).toBe('whatsapp');
    expect(requests.at(-1)?.get('chatbotId')).toBe(CHATBOT_ID);
  });

  it('starts from the filter in the URL', async () => {
    const requests: URLSearchParams[] = [];
    api({ requests });
    renderWithApp(page, {
      route: '/conversations?channel=web&favorite=true',
      path: '/conversations/:conversationId?',
    });
    await screen.findByRole('list', { name: 'Conversaciones' });
    expect(screen.getByRole('button', { name: /Web/ })).toHaveAttribute('aria-pressed', 'true');
    expect(requests[0].get('channel')).toBe('web');
    expect(requests[0].get('favorite')).toBe('true');
  });

  it('searches after a pause in typing', async () => {
    const requests: URLSearchParams[] = [];
    api({ requests });
    const user = userEvent.setup();
    const { router } = renderWithApp(page, {
      route: '/conversations',
      path: '/conversations/:conversationId?',
    });
    await screen.findByRole('list', { name: 'Conversaciones' });
    await user.type(screen.getByRole('searchbox', { name: 'Buscar conversaciones' }), 'horario');
    await waitFor(() => expect(router.state.location.search).toBe('?q=horario'));
    await waitFor(() => expect(requests.at(-1)?.get('q')).toBe('horario'));
  });

  it('tells what to do next when there are no conversations', async () => {
    server.use(
      http.get('*/api/v1/conversations/counts', () =>
        HttpResponse.json({
          all: 0,
          web: 0,
          whatsapp: 0,
          telegram: 0,
          states: { open: 0, pending: 0, closed: 0 },
          mine: 0,
          unassigned: 0,
          waiting: 0,
        } satisfies ConversationCounts),
      ),
      http.get('*/api/v1/conversations', () => HttpResponse.json({ items: [], nextCursor: null })),
    );
    const { unmount } = renderWithApp(
      <ConversationsPage chatbotId={CHATBOT_ID} whatsapp="connect" />,
      { route: '/conversations', path: '/conversations/:conversationId?' },
    );
    expect(
      await screen.findByRole('heading', { name: 'No hay conversaciones' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Conectar WhatsApp' })).toHaveAttribute(
      'href',
      '/integrations',
    );
    expect(screen.getByRole('link', { name: 'Probar el chat web' })).toHaveAttribute(
      'href',
      '/chatbots',
    );
    // Nothing to pick: the right pane does not ask to pick a conversation.
    expect(
      screen.queryByText('Elige una conversación para ver los mensajes.'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('Aquí verás los mensajes de tu primera conversación.'),
    ).toBeInTheDocument();
    unmount();

    // A disconnected number is reactivated, not connected again; a connected one asks for nothing.
    const again = renderWithApp(
      <ConversationsPage chatbotId={CHATBOT_ID} whatsapp="reactivate" />,
      {
        route: '/conversations',
        path: '/conversations/:conversationId?',
      },
    );
    expect(await screen.findByRole('link', { name: 'Reactivar WhatsApp' })).toHaveAttribute(
      'href',
      '/integrations',
    );
    expect(screen.queryByRole('link', { name: 'Conectar WhatsApp' })).not.toBeInTheDocument();
    again.unmount();
    renderWithApp(page, { route: '/conversations', path: '/conversations/:conversationId?' });
    expect(
      await screen.findByRole('heading', { name: 'No hay conversaciones' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /WhatsApp/ })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Probar el chat web' })).toBeInTheDocument();
  });

  it('marks closed conversations with a state chip and filters by state through the URL', async () => {
    const requests: URLSearchParams[] = [];
    server.use(
      http.get('*/api/v1/conversations/counts', () => HttpResponse.json(counts)),
      http.get('*/api/v1/conversations', ({ request }) => {
        const params = new URL(request.url).searchParams;
        requests.push(params);
        const closed = { ...web, status: 'closed' as const };
        const items = [whatsapp, closed].filter(
          (c) => !params.get('status') || c.status === params.get('status'),
        );
        return HttpResponse.json({ items, nextCursor: null });
      }),
    );
    const user = userEvent.setup();
    const { router } = renderWithApp(page, {
      route: '/conversations',
      path: '/conversations/:conversationId?',
    });
    const list = await screen.findByRole('list', { name: 'Conversaciones' });
    const rows = within(list).getAllByRole('link');
    expect(within(rows[1]).getByText('Cerrada')).toBeInTheDocument();
    expect(within(rows[0]).queryByText('Cerrada')).not.toBeInTheDocument();
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Filtrar por estado' }),
      'closed',
    );
    await waitFor(() => expect(router.state.location.search).toBe('?status=closed'));
    await waitFor(() => expect(requests.at(-1)?.get('status')).toBe('closed'));
    await waitFor(() =>
      expect(
        within(screen.getByRole('list', { name: 'Conversaciones' })).getAllByRole('link'),
      ).toHaveLength(1),
    );
  });

  it('has a labelled favorites toggle', async () => {
    api();
    const user = userEvent.setup();
    const { router } = renderWithApp(page, {
      route: '/conversations',
      path: '/conversations/:conversationId?',
    });
    await screen.findByRole('list', { name: 'Conversaciones' });
    const toggle = screen.getByRole('button', { name: 'Favoritas' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    await waitFor(() => expect(router.state.location.search).toBe('?favorite=true'));
  });

  it('shows the thread with bubbles, delivery ticks, the failure reason on focus and "Reintentar"', async () => {
    api();
    let retried = '';
    const messages: MessagePage = {
      items: [
        message({ id: 'm1', content: 'Hola, ¿qué horario tenéis?' }),
        message({
          id: 'm2',
          role: 'assistant',
          content: 'De 8 a 20 h.',
          deliveryStatus: 'delivered',
        }),
        message({
          id: 'm3',
          role: 'user',
          content: '[imagen]',
          media: mediaView(),
        }),
        message({
          id: 'm4',
          role: 'assistant',
          content: 'Gracias',
          deliveryStatus: 'failed',
          failureReason: 'Message failed to send because there were too many messages',
          failureType: 'RATE_LIMIT_EXCEEDED',
          failureCode: 130429,
        }),
      ],
      nextCursor: null,
    };
    server.use(
      http.get('*/api/v1/conversations/c1', () => HttpResponse.json(whatsapp)),
      http.get('*/api/v1/conversations/c1/messages', () => HttpResponse.json(messages)),
      http.post('*/api/v1/messages/:id/retry', ({ params }) => {
        retried = String(params.id);
        return HttpResponse.json({
          id: 'm4',
          deliveryStatus: 'sent',
          externalMessageId: 'wamid.x',
        });
      }),
    );
    const user = userEvent.setup();
    renderWithApp(page, { route: '/conversations/c1', path: '/conversations/:conversationId?' });
    const thread = await screen.findByRole('list', { name: 'Mensajes' });
    expect(await within(thread).findByText('De 8 a 20 h.')).toBeInTheDocument();
    expect(within(thread).getByText('Entregado')).toBeInTheDocument();
    expect(within(thread).getByRole('button', { name: 'Abrir imagen' })).toBeInTheDocument();
    expect(within(thread).getByRole('img', { name: 'Imagen' })).toHaveAttribute(
      'src',
      '/api/v1/messages/m3/media',
    );
    const failed = within(thread).getByRole('button', { name: /No entregado/ });
    await user.tab();
    failed.focus();
    // What the code means in our words, then Meta's own.
    expect(failed).toHaveAccessibleDescription(
      'No entregado: Se alcanzó el límite de envío del número: WhatsApp pide ir más despacio. (Meta: «Message failed to send because there were too many messages»)',
    );
    await user.click(within(thread).getByRole('button', { name: 'Reintentar' }));
    await waitFor(() => expect(retried).toBe('m4'));
    expect(await screen.findByText('Reenvío en marcha.')).toBeInTheDocument();
  });

  it('offers no retry where it cannot help (outside the 24-hour window)', async () => {
    api();
    server.use(
      http.get('*/api/v1/conversations/c1', () => HttpResponse.json(whatsapp)),
      http.get('*/api/v1/conversations/c1/messages', () =>
        HttpResponse.json({
          items: [
            message({
              id: 'm9',
              role: 'assistant',
              content: 'Hola',
              deliveryStatus: 'failed',
              failureReason: 'Re-engagement message',
              failureType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
              failureCode: 131047,
            }),
          ],
          nextCursor: null,
        }),
      ),
    );
    renderWithApp(page, { route: '/conversations/c1', path: '/conversations/:conversationId?' });
    const thread = await screen.findByRole('list', { name: 'Mensajes' });
    expect(within(thread).getByRole('button', { name: /No entregado/ })).toBeInTheDocument();
    expect(within(thread).queryByRole('button', { name: 'Reintentar' })).not.toBeInTheDocument();
  });

  it('offers the retry of a 24-hour-window failure (131047) once the customer has written again', async () => {
    api();
    server.use(
      http.get('*/api/v1/conversations/c1', () => HttpResponse.json(whatsapp)),
      http.get('*/api/v1/conversations/c1/messages', () =>
        HttpResponse.json({
          items: [
            message({
              id: 'm9',
              role: 'assistant',
              content: 'Hola',
              createdAt: '2026-01-01T10:00:00.000Z',
              deliveryStatus: 'failed',
              failureReason: 'Re-engagement message',
              failureType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
              failureCode: 131047,
            }),
            message({
              id: 'm10',
              role: 'user',
              content: 'sigo aquí',
              createdAt: '2026-01-02T10:00:00.000Z',
            }),
          ],
          nextCursor: null,
        }),
      ),
    );
    renderWithApp(page, { route: '/conversations/c1', path: '/conversations/:conversationId?' });
    const thread = await screen.findByRole('list', { name: 'Mensajes' });
    expect(await within(thread).findByRole('button', { name: 'Reintentar' })).toBeInTheDocument();
  });
});

describe('when the API is unreachable or the id is unknown', () => {
  it('keeps the list on screen with "Sin conexión. Reintentando…" instead of an error', async () => {
    api();
    const { queryClient } = renderWithApp(
      <>
        <OfflineBanner />
        {page}
      </>,
      { route: '/conversations', path: '/conversations/:conversationId?' },
    );
    await screen.findByRole('list', { name: 'Conversaciones' });
    server.use(
      http.get('*/api/v1/conversations', () => HttpResponse.error()),
      http.get('*/api/v1/conversations/counts', () => HttpResponse.error()),
    );
    await act(() => queryClient.refetchQueries());
    expect(await screen.findByText('Sin conexión. Reintentando…')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Conversaciones' })).toBeInTheDocument();
    expect(screen.queryByText('Algo salió mal.')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reintentar' })).not.toBeInTheDocument();
  });

  it('keeps an open thread on screen when its refetch fails, under the banner', async () => {
    api();
    server.use(
      http.get('*/api/v1/conversations/c1', () => HttpResponse.json(whatsapp)),
      http.get('*/api/v1/conversations/c1/messages', () =>
        HttpResponse.json({
          items: [message({ id: 'm1', role: 'user', content: 'sigo aquí' })],
          nextCursor: null,
        }),
      ),
    );
    const { queryClient } = renderWithApp(
      <>
        <OfflineBanner />
        {page}
      </>,
      { route: '/conversations/c1', path: '/conversations/:conversationId?' },
    );
    const thread = await screen.findByRole('list', { name: 'Mensajes' });
    expect(within(thread).getByText('sigo aquí')).toBeInTheDocument();
    server.use(http.get('*/api/v1/*', () => HttpResponse.error()));
    await act(() => queryClient.refetchQueries());
    expect(await screen.findByText('Sin conexión. Reintentando…')).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Mensajes' })).getByText('sigo aquí'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Algo salió mal.')).not.toBeInTheDocument();
  });

  it('an unknown conversation id says it does not exist, with one request and no retry button', async () => {
    api();
    const asked: string[] = [];
    server.use(
      http.get('*/api/v1/conversations/:id', ({ params }) => {
        if (params.id === 'counts') return HttpResponse.json(counts);
        asked.push(String(params.id));
        return HttpResponse.json(
          { statusCode: 404, error: 'NOT_FOUND', message: 'Conversation not found' },
          { status: 404 },
        );
      }),
      http.get('*/api/v1/conversations/:id/messages', ({ params }) => {
        asked.push(`${String(params.id)}/messages`);
        return HttpResponse.json(
          { statusCode: 404, error: 'NOT_FOUND', message: 'Conversation not found' },
          { status: 404 },
        );
      }),
    );
    renderWithApp(page, {
      route: '/conversations/65a0000000000000000000ff',
      path: '/conversations/:conversationId?',
    });
    expect(
      await screen.findByText('Esta conversación no existe o se ha eliminado.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Conversation not found/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reintentar' })).not.toBeInTheDocument();
    expect(asked).toEqual(['65a0000000000000000000ff']);
  });
});
