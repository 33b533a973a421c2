import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { conversation, message } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { Composer } from './composer';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const open = conversation({ windowEndsAt: '2026-03-02T10:30:00.000Z' });

function sendApi(sent: { body: unknown; key: string | null }[], status = 201) {
  server.use(
    http.post('*/api/v1/conversations/c1/messages', async ({ request }) => {
      sent.push({ body: await request.json(), key: request.headers.get('Idempotency-Key') });
      if (status !== 201) {
        return HttpResponse.json(
          {
            statusCode: status,
            error: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
            message: 'outside',
            details: { reason: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW' },
          },
          { status },
        );
      }
      return HttpResponse.json(message({ role: 'assistant', sender: 'agent' }), { status });
    }),
  );
}

describe('Composer', () => {
  it('sends on Enter with an Idempotency-Key, keeps Shift+Enter as a new line, and clears once sent', async () => {
    const sent: { body: unknown; key: string | null }[] = [];
    sendApi(sent);
    const user = userEvent.setup();
    renderWithApp(<Composer conversation={open} now={() => NOW} />);
    const box = screen.getByRole('textbox', { name: 'Responder al cliente' });
    await user.type(box, 'Hola{Shift>}{Enter}{/Shift}mundo');
    expect(box).toHaveValue('Hola\nmundo');
    expect(sent).toHaveLength(0);
    expect(screen.getByText('10 / 4096')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(box).toHaveValue(''));
    expect(sent).toEqual([{ body: { content: 'Hola\nmundo' }, key: expect.any(String) }]);
    expect(screen.getByText('Ventana de 24 h: quedan 22 h 30 min')).toBeInTheDocument();
  });

  it('refuses more than 4096 characters: says so and disables sending', async () => {
    const user = userEvent.setup();
    renderWithApp(<Composer conversation={open} now={() => NOW} />);
    const box = screen.getByRole('textbox', { name: 'Responder al cliente' });
    await user.click(box);
    await user.paste('x'.repeat(4097));
    expect(
      screen.getByText('Un mensaje de WhatsApp admite hasta 4096 caracteres.'),
    ).toBeInTheDocument();
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Enviar' })).toBeDisabled();
  });

  it('is disabled outside the 24-hour window and says a template is needed', () => {
    renderWithApp(
      <Composer
        conversation={conversation({ windowEndsAt: '2026-03-01T11:00:00.000Z' })}
        now={() => NOW}
      />,
    );
    const box = screen.getByRole('textbox', { name: 'Responder al cliente' });
    expect(box).toBeDisabled();
    expect(box).toHaveAccessibleDescription(/solo permite enviarle una plantilla aprobada/);
    expect(screen.getByRole('button', { name: 'Enviar' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Adjuntar archivo' })).toBeDisabled();
  });

  it('sends a chosen PDF with its caption as multipart, with an Idempotency-Key, and clears once sent', async () => {
    const sent: { file: File | null; caption: unknown; content: unknown; key: string | null }[] =
      [];
    server.use(
      http.post('*/api/v1/conversations/c1/messages', async ({ request }) => {
        const form = await request.formData();
        const file = form.get('file');
        sent.push({
          file: file instanceof File ? file : null,
          caption: form.get('caption'),
          content: form.get('content'),
          key: request.headers.get('Idempotency-Key'),
        });
        return HttpResponse.json(message({ role: 'assistant', sender: 'agent' }), {
          status: 201,
        });
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<Composer conversation={open} now={() => NOW} />);
    const picker = document.querySelector<HTMLInputElement>('input[type="file"]');
    if (!picker) throw new Error('no file input');
    const pdf = new File([new Uint8Array(120 * 1024)], 'factura.pdf', { type: 'application/pdf' });
    await user.upload(picker, pdf);
    expect(screen.getByText(/factura\.pdf · 120 kB/)).toBeInTheDocument();
    const box = screen.getByRole('textbox', { name: 'Responder al cliente' });
    expect(box).toHaveAttribute('placeholder', 'Añade un comentario al archivo (opcional)');
    expect(screen.getByRole('button', { name: 'Enviar' })).toBeEnabled();
    await user.type(box, 'Su factura{Enter}');
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      caption: 'Su factura',
      content: null,
      key: expect.any(String),
    });
    expect(sent[0]?.file?.name).toBe('factura.pdf');
    expect(sent[0]?.file?.size).toBe(120 * 1024);
    await waitFor(() => expect(screen.queryByText(/factura\.pdf/)).not.toBeInTheDocument());
    expect(box).toHaveValue('');
  });

  it('never limits a web conversation by the window (and offers no file there)', () => {
    renderWithApp(
      <Composer
        conversation={conversation({ channel: 'web', windowEndsAt: null })}
        now={() => NOW}
      />,
    );
    expect(screen.getByRole('textbox', { name: 'Responder al cliente' })).toBeEnabled();
    expect(screen.queryByRole('button', { name: 'Adjuntar archivo' })).not.toBeInTheDocument();
  });

  it("shows the API's refusal and keeps the text and its key for a retry", async () => {
    const sent: { body: unknown; key: string | null }[] = [];
    sendApi(sent, 422);
    const user = userEvent.setup();
    renderWithApp(<Composer conversation={open} now={() => NOW} />);
    const box = screen.getByRole('textbox', { name: 'Responder al cliente' });
    await user.type(box, 'Hola{Enter}');
    expect(
      await screen.findByText(/Pasaron más de 24 h desde el último mensaje del cliente/),
    ).toBeInTheDocument();
    expect(box).toHaveValue('Hola');
    await user.click(screen.getByRole('button', { name: 'Enviar' }));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]?.key).toBe(sent[0]?.key);
  });
});
