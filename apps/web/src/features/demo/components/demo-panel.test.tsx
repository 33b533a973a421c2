import type { ErrorBody } from '@conecta/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { CHATBOT_ID, integration } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { DemoPanel } from './demo-panel';

const DEMO_NUMBER = '109000000000001';

function demoOn(): void {
  server.use(
    http.get('*/api/v1/demo', () =>
      HttpResponse.json({
        enabled: true,
        phoneNumberId: DEMO_NUMBER,
        businessAccountId: '209000000000001',
        accessToken: 'EAADemoTokenForConecta1234567890',
        appSecret: '0123456789abcdef0123456789abcdef',
        displayPhoneNumber: '+34 600 000 001',
      }),
    ),
  );
}

describe('DemoPanel', () => {
  it('without WhatsApp: says what is missing, offers "Conectar WhatsApp" and is disabled', async () => {
    demoOn();
    renderWithApp(<DemoPanel chatbotId={CHATBOT_ID} whatsapp={null} />);
    const panel = await screen.findByRole('region', { name: 'Simular mensaje de WhatsApp' });
    expect(within(panel).getByRole('status')).toHaveTextContent(
      'Este chatbot aún no tiene WhatsApp.',
    );
    expect(within(panel).getByRole('link', { name: 'Conectar WhatsApp' })).toHaveAttribute(
      'href',
      '/integrations',
    );
    expect(within(panel).getByRole('button', { name: 'Simular mensaje' })).toBeDisabled();
    expect(within(panel).getByLabelText(/Número del cliente/)).toBeDisabled();
  });

  it('in English too', async () => {
    demoOn();
    renderWithApp(<DemoPanel chatbotId={CHATBOT_ID} whatsapp={null} />, { language: 'en' });
    const panel = await screen.findByRole('region', { name: 'Simulate a WhatsApp message' });
    expect(within(panel).getByRole('link', { name: 'Connect WhatsApp' })).toBeInTheDocument();
    expect(within(panel).getByRole('status')).toHaveTextContent(
      'This chatbot has no WhatsApp yet.',
    );
  });

  it.each([
    [{ phoneNumberId: '123456789012345' }, 'es un número real'],
    [
      { phoneNumberId: DEMO_NUMBER, isActive: false, status: 'disconnected' as const },
      'está desconectado',
    ],
    [{ phoneNumberId: DEMO_NUMBER, status: 'error' as const }, 'tiene un error'],
  ])('with %o says why it cannot simulate', async (overrides, text) => {
    demoOn();
    renderWithApp(<DemoPanel chatbotId={CHATBOT_ID} whatsapp={integration(overrides)} />);
    const panel = await screen.findByRole('region', { name: 'Simular mensaje de WhatsApp' });
    expect(within(panel).getByRole('status')).toHaveTextContent(text);
    expect(within(panel).getByRole('link', { name: 'Ir a Integraciones' })).toBeInTheDocument();
    expect(within(panel).getByRole('button', { name: 'Simular mensaje' })).toBeDisabled();
  });

  it('describes the number rule with the shared range (6 to 20 digits) and names the failed rule', async () => {
    demoOn();
    const user = userEvent.setup();
    renderWithApp(
      <DemoPanel chatbotId={CHATBOT_ID} whatsapp={integration({ phoneNumberId: DEMO_NUMBER })} />,
    );
    const panel = await screen.findByRole('region', { name: 'Simular mensaje de WhatsApp' });
    expect(within(panel).queryByRole('status')).not.toBeInTheDocument();
    const from = within(panel).getByLabelText(/Número del cliente/);
    expect(from).toHaveAccessibleDescription(
      'Solo dígitos, sin espacios ni signos: de 6 a 20 dígitos.',
    );
    await user.clear(from);
    await user.type(from, 'abc');
    await user.click(within(panel).getByRole('button', { name: 'Simular mensaje' }));
    expect(
      await within(panel).findByText(/^Solo dígitos/, { selector: '.field-error' }),
    ).toBeInTheDocument();
  });

  it('dates the message 30 hours back when asked, so its window is already closed', async () => {
    demoOn();
    const posted: unknown[] = [];
    server.use(
      http.post('*/api/v1/demo/whatsapp/inbound', async ({ request }) => {
        posted.push(await request.json());
        return HttpResponse.json({ wamid: 'wamid.X', webhookStatus: 200 });
      }),
    );
    const user = userEvent.setup();
    renderWithApp(
      <DemoPanel chatbotId={CHATBOT_ID} whatsapp={integration({ phoneNumberId: DEMO_NUMBER })} />,
    );
    const panel = await screen.findByRole('region', { name: 'Simular mensaje de WhatsApp' });
    await user.click(within(panel).getByRole('checkbox', { name: /Escrito hace 30 h/ }));
    await user.click(within(panel).getByRole('button', { name: 'Simular mensaje' }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({ from: '34600123456', hoursAgo: 30 });
  });

  it('a 409 DEMO_NUMBER_NOT_CONNECTED says the demo number is not connected, not "ya existe"', async () => {
    demoOn();
    const body: ErrorBody = {
      statusCode: 409,
      error: 'CONFLICT',
      message: 'Connect the demo WhatsApp number to this chatbot first',
      details: { reason: 'DEMO_NUMBER_NOT_CONNECTED' },
    };
    server.use(
      http.post('*/api/v1/demo/whatsapp/inbound', () => HttpResponse.json(body, { status: 409 })),
    );
    const user = userEvent.setup();
    renderWithApp(
      <DemoPanel chatbotId={CHATBOT_ID} whatsapp={integration({ phoneNumberId: DEMO_NUMBER })} />,
    );
    const panel = await screen.findByRole('region', { name: 'Simular mensaje de WhatsApp' });
    await user.click(within(panel).getByRole('button', { name: 'Simular mensaje' }));
    await waitFor(() =>
      expect(
        screen.getByText('Este chatbot aún no tiene conectado el número de demo de WhatsApp.'),
      ).toBeInTheDocument(),
    );
    expect(
      screen.queryByText('Ya existe una integración con estos datos.'),
    ).not.toBeInTheDocument();
  });

  it('sends the chosen notice from Meta, even while a restriction shows the number in error', async () => {
    demoOn();
    let sent: unknown = null;
    server.use(
      http.post('*/api/v1/demo/whatsapp/notice', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ webhookStatus: 200 });
      }),
    );
    const user = userEvent.setup();
    renderWithApp(
      <DemoPanel
        chatbotId={CHATBOT_ID}
        whatsapp={integration({ phoneNumberId: DEMO_NUMBER, status: 'error' })}
      />,
    );
    const form = await screen.findByRole('form', { name: 'Simular aviso de Meta' });
    await user.selectOptions(within(form).getByLabelText('Aviso'), 'Cuenta rehabilitada');
    await user.click(within(form).getByRole('button', { name: 'Simular aviso' }));
    await waitFor(() => expect(sent).toEqual({ kind: 'reinstatement' }));
    expect(
      await screen.findByText('Aviso enviado. Míralo en la tarjeta de WhatsApp de Integraciones.'),
    ).toBeInTheDocument();
  });

  it('offers no notices for a real number', async () => {
    demoOn();
    renderWithApp(
      <DemoPanel
        chatbotId={CHATBOT_ID}
        whatsapp={integration({ phoneNumberId: '123456789012345' })}
      />,
      { language: 'en' },
    );
    await screen.findByRole('region', { name: 'Simulate a WhatsApp message' });
    expect(
      screen.queryByRole('form', { name: 'Simulate a notice from Meta' }),
    ).not.toBeInTheDocument();
  });
});
