import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { EMPTY_ACCOUNT_HEALTH } from '@conecta/contracts';
import { CHATBOT_ID, integration } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { integrationKeys } from '../api/keys';
import { WhatsAppStatusBanner } from './whatsapp-status-banner';

describe('WhatsAppStatusBanner (Conversaciones)', () => {
  it.each([
    [integration({ isActive: false, status: 'disconnected' }), 'es', 'está desconectado'],
    [integration({ status: 'error' }), 'es', 'tiene un error'],
    [integration({ isActive: false, status: 'disconnected' }), 'en', 'is disconnected'],
    [integration({ status: 'error' }), 'en', 'has an error'],
  ] as const)('warns when the WhatsApp is off or failing (%#)', async (item, language, text) => {
    server.use(http.get('*/api/v1/integrations', () => HttpResponse.json([item])));
    renderWithApp(<WhatsAppStatusBanner chatbotId={CHATBOT_ID} />, { language });
    expect(await screen.findByText(new RegExp(text))).toBeInTheDocument();
    expect(screen.getByRole('link')).toHaveAttribute('href', '/integrations');
  });

  it.each([
    [
      'es',
      'Meta ha restringido la cuenta de WhatsApp Business. No puede iniciar conversaciones con clientes (sí puede responderles).',
    ],
    [
      'en',
      'Meta restricted the WhatsApp Business account. It cannot start conversations with customers (it can still answer them).',
    ],
  ] as const)('says what a restriction Meta reported stops (%s)', async (language, text) => {
    const restricted = integration({
      status: 'error',
      errorType: 'ACCOUNT_RESTRICTED',
      account: {
        ...EMPTY_ACCOUNT_HEALTH,
        standing: {
          state: 'restricted',
          event: 'ACCOUNT_RESTRICTION',
          restrictions: [{ type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: null }],
          banState: null,
          banDate: null,
          at: '2026-12-01T10:00:00.000Z',
        },
      },
    });
    server.use(http.get('*/api/v1/integrations', () => HttpResponse.json([restricted])));
    renderWithApp(<WhatsAppStatusBanner chatbotId={CHATBOT_ID} />, { language });
    expect(await screen.findByText(text)).toBeInTheDocument();
  });

  it('says nothing when the WhatsApp is connected', async () => {
    let asked = false;
    server.use(
      http.get('*/api/v1/integrations', () => {
        asked = true;
        return HttpResponse.json([integration()]);
      }),
    );
    const { queryClient } = renderWithApp(
      <>
        <WhatsAppStatusBanner chatbotId={CHATBOT_ID} />
        <p>page</p>
      </>,
    );
    await screen.findByText('page');
    await waitFor(() => expect(asked).toBe(true));
    await waitFor(() =>
      expect(queryClient.getQueryState(integrationKeys.list(CHATBOT_ID))?.status).toBe('success'),
    );
    expect(screen.queryByText(/WhatsApp de este chatbot/)).not.toBeInTheDocument();
  });
});
