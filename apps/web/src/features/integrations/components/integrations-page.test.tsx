import type { ErrorBody, IntegrationStatus } from '@conecta/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { agentMe, CHATBOT_ID, integration } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { IntegrationCard } from './integration-card';
import { IntegrationsPage } from './integrations-page';

function listReturns(items: IntegrationStatus[]) {
  server.use(http.get('*/api/v1/integrations', () => HttpResponse.json(items)));
}

describe('IntegrationCard', () => {
  it.each([
    ['connected', 'Conectado'],
    ['disconnected', 'Desconectado'],
    ['error', 'Error'],
  ] as const)(
    'shows the %s status badge with the last activity and "Gestionar"',
    (status, label) => {
      renderWithApp(
        <IntegrationCard
          platform="WHATSAPP"
          canManage
          integration={integration({
            status,
            isActive: status !== 'disconnected',
            errorType: status === 'error' ? 'INVALID_CREDENTIALS' : null,
          })}
        />,
      );
      const card = screen.getByRole('article', { name: 'WhatsApp Business' });
      expect(within(card).getByText(label)).toBeInTheDocument();
      expect(within(card).getByText(/Última actividad: hace 5 minutos/)).toBeInTheDocument();
      expect(
        within(card).getByRole('button', { name: 'Gestionar WhatsApp Business' }),
      ).toBeInTheDocument();
      if (status === 'error')
        expect(
          within(card).getByText('Meta no acepta este token: es incorrecto o ha caducado.'),
        ).toBeInTheDocument();
    },
  );

  it('closes the manage menu on Escape and gives focus back to its button', async () => {
    const user = userEvent.setup();
    renderWithApp(<IntegrationCard platform="WHATSAPP" canManage integration={integration()} />);
    const manage = screen.getByRole('button', { name: 'Gestionar WhatsApp Business' });
    await user.click(manage);
    expect(screen.getByRole('button', { name: 'Editar' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('button', { name: 'Desconectar' })).not.toBeInTheDocument();
    expect(manage).toHaveFocus();
    expect(manage).toHaveAttribute('aria-expanded', 'false');
  });

  it('offers "Conectar" when nothing is set up yet', () => {
    renderWithApp(<IntegrationCard platform="WHATSAPP" canManage integration={null} />);
    expect(screen.getByText('Sin configurar')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Conectar' })).toBeEnabled();
  });

  it('shows Telegram as coming soon, with nothing to click', () => {
    renderWithApp(
      <IntegrationCard platform="TELEGRAM" comingSoon canManage={false} integration={null} />,
    );
    const card = screen.getByRole('article', { name: 'Telegram' });
    expect(within(card).getAllByText('Próximamente')).toHaveLength(2);
    expect(within(card).getByRole('button', { name: 'Próximamente' })).toBeDisabled();
  });
});

describe('IntegrationsPage', () => {
  it('shows skeletons, then the WhatsApp card, the Telegram card and the cost information', async () => {
    listReturns([integration()]);
    renderWithApp(<IntegrationsPage chatbotId={CHATBOT_ID} />);
    expect(screen.getByRole('status', { name: 'Cargando…' })).toBeInTheDocument();
    expect(await screen.findByRole('article', { name: 'WhatsApp Business' })).toBeInTheDocument();
    expect(screen.getByRole('article', { name: 'Telegram' })).toBeInTheDocument();
    const cost = screen.getByRole('region', { name: 'Lo que cobra Meta' });
    expect(cost).toHaveTextContent(/cobra cada mensaje entregado según su categoría/);
    // 2026 pricing: service replies are billed since 1 October 2026; the ad entry point is free.
    expect(cost).toHaveTextContent(
      /Desde el 1 de octubre de 2026 también se cobran las respuestas de servicio/,
    );
    expect(cost).toHaveTextContent(/72 horas/);
    expect(cost).not.toHaveTextContent(/Respuestas de servicio: gratis/);
    expect(cost).not.toHaveTextContent(/por conversación:/);
    expect(within(cost).getByRole('link')).toHaveAttribute(
      'href',
      'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing',
    );
  });

  it('offers a retry when the list fails to load', async () => {
    let calls = 0;
    server.use(
      http.get('*/api/v1/integrations', () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(
              { statusCode: 500, error: 'INTERNAL_ERROR', message: 'boom' },
              { status: 500 },
            )
          : HttpResponse.json([]);
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<IntegrationsPage chatbotId={CHATBOT_ID} />);
    await user.click(await screen.findByRole('button', { name: 'Reintentar' }));
    expect(await screen.findByRole('button', { name: 'Conectar' })).toBeInTheDocument();
  });

  it('asks before disconnecting and explains the consequence; cancelling changes nothing', async () => {
    listReturns([integration()]);
    const patches: unknown[] = [];
    server.use(
      http.patch('*/api/v1/integrations/int1', async ({ request }) => {
        patches.push(await request.json());
        return HttpResponse.json(integration({ isActive: false, status: 'disconnected' }));
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<IntegrationsPage chatbotId={CHATBOT_ID} />);
    const card = await screen.findByRole('article', { name: 'WhatsApp Business' });
    await user.click(within(card).getByRole('button', { name: 'Gestionar WhatsApp Business' }));
    await user.click(screen.getByRole('button', { name: 'Desconectar' }));
    const confirm = screen.getByRole('dialog', { name: '¿Desconectar WhatsApp?' });
    expect(confirm).toHaveTextContent('El bot dejará de responder en este número');
    await user.click(within(confirm).getByRole('button', { name: 'Cancelar' }));
    expect(patches).toHaveLength(0);
    expect(within(card).getByText('Conectado')).toBeInTheDocument();
  });

  it('a disconnected card says why and offers "Reactivar" on the card itself', async () => {
    let items = [integration({ isActive: false, status: 'disconnected' })];
    server.use(
      http.get('*/api/v1/integrations', () => HttpResponse.json(items)),
      http.patch('*/api/v1/integrations/int1', () => {
        items = [integration()];
        return HttpResponse.json(items[0]);
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<IntegrationsPage chatbotId={CHATBOT_ID} />);
    const card = await screen.findByRole('article', { name: 'WhatsApp Business' });
    expect(within(card).getByText(/Desconectado por un administrador/)).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Reactivar' }));
    expect(await within(card).findByText('Conectado')).toBeInTheDocument();
    expect(await screen.findByText('Integración reactivada.')).toBeInTheDocument();
  });

  it('disconnects once confirmed and puts the status back when the server refuses', async () => {
    listReturns([integration()]);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    server.use(
      http.patch('*/api/v1/integrations/int1', async () => {
        await gate;
        const body: ErrorBody = { statusCode: 500, error: 'INTERNAL_ERROR', message: 'boom' };
        return HttpResponse.json(body, { status: 500 });
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<IntegrationsPage chatbotId={CHATBOT_ID} />);
    const card = await screen.findByRole('article', { name: 'WhatsApp Business' });
    await user.click(within(card).getByRole('button', { name: 'Gestionar WhatsApp Business' }));
    await user.click(screen.getByRole('button', { name: 'Desconectar' }));
    const confirm = screen.getByRole('dialog', { name: '¿Desconectar WhatsApp?' });
    await user.click(within(confirm).getByRole('button', { name: 'Desconectar' }));
    expect(await within(card).findByText('Desconectado')).toBeInTheDocument();
    release();
    expect(await within(card).findByText('Conectado')).toBeInTheDocument();
    expect(await screen.findByText(/No se pudo cambiar el estado/)).toBeInTheDocument();
  });

  it('asks before deleting, then removes the integration', async () => {
    let items = [integration()];
    server.use(
      http.get('*/api/v1/integrations', () => HttpResponse.json(items)),
      http.delete('*/api/v1/integrations/int1', () => {
        items = [];
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<IntegrationsPage chatbotId={CHATBOT_ID} />);
    await user.click(await screen.findByRole('button', { name: 'Gestionar WhatsApp Business' }));
    await user.click(screen.getByRole('button', { name: 'Eliminar integración' }));
    const confirm = screen.getByRole('dialog', { name: '¿Eliminar la integración de WhatsApp?' });
    await user.click(within(confirm).getByRole('button', { name: 'Eliminar' }));
    expect(await screen.findByRole('button', { name: 'Conectar' })).toBeInTheDocument();
    expect(await screen.findByText('Integración eliminada.')).toBeInTheDocument();
  });

  it('opens the lazily loaded WhatsApp modal from "Conectar"', async () => {
    listReturns([]);
    const user = userEvent.setup();
    renderWithApp(<IntegrationsPage chatbotId={CHATBOT_ID} />);
    await user.click(await screen.findByRole('button', { name: 'Conectar' }));
    expect(
      await screen.findByRole('dialog', { name: 'Conectar WhatsApp Business' }),
    ).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('lets agents see the status but not manage it', async () => {
    listReturns([integration()]);
    renderWithApp(<IntegrationsPage chatbotId={CHATBOT_ID} />, { me: agentMe });
    const card = await screen.findByRole('article', { name: 'WhatsApp Business' });
    expect(within(card).getByText('Conectado')).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: /Gestionar/ })).not.toBeInTheDocument();
  });
});
