import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
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
