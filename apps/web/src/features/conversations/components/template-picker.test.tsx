import type { TemplateView } from '@conecta/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { conversation, message } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { TemplatePicker } from './template-picker';

const ORDER: TemplateView = {
  id: 't1',
  integrationId: 'i1',
  name: 'order_update',
  language: 'es',
  category: 'UTILITY',
  status: 'APPROVED',
  components: [
    { type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} está en camino.' },
    { type: 'FOOTER', text: 'Tienda' },
  ],
  slots: [
    { component: 'body', index: 0, name: '1', format: 'text' },
    { component: 'body', index: 0, name: '2', format: 'text' },
  ],
  qualityScore: 'GREEN',
  rejectedReason: null,
  syncedAt: '2026-03-01T10:00:00.000Z',
};
const PENDING: TemplateView = { ...ORDER, id: 't2', name: 'promo', status: 'PENDING' };

const NOW = Date.parse('2026-03-02T12:00:00.000Z');
const closed = conversation({ windowEndsAt: '2026-03-02T10:30:00.000Z' });
const open = conversation({ windowEndsAt: '2026-03-02T20:30:00.000Z' });

function api(sent: { body: unknown; key: string | null }[]) {
  server.use(
    http.get('*/api/v1/integrations/i1/templates', () => HttpResponse.json([ORDER, PENDING])),
    http.post('*/api/v1/conversations/c1/templates', async ({ request }) => {
      sent.push({ body: await request.json(), key: request.headers.get('Idempotency-Key') });
      return HttpResponse.json(message({ role: 'assistant', sender: 'agent' }), { status: 201 });
    }),
  );
}

describe('TemplatePicker', () => {
  it('with the window closed: lists approved templates only, a field per parameter, a live preview, and sends the values', async () => {
    const sent: { body: unknown; key: string | null }[] = [];
    api(sent);
    const user = userEvent.setup();
    renderWithApp(<TemplatePicker conversation={closed} now={() => NOW} />);
    const select = await screen.findByRole('combobox', { name: 'Plantilla' });
    expect(screen.queryByRole('option', { name: /promo/ })).not.toBeInTheDocument();
    await user.selectOptions(select, 'order_update|es');
    const send = screen.getByRole('button', { name: 'Enviar plantilla' });
    expect(send).toBeDisabled();
    await user.type(screen.getByRole('textbox', { name: 'Texto {{1}}' }), 'Pablo');
    expect(screen.getByRole('note', { name: 'Vista previa' })).toHaveTextContent(
      'Hola Pablo, tu pedido {{2}} está en camino.',
    );
    await user.type(screen.getByRole('textbox', { name: 'Texto {{2}}' }), '#1234');
    expect(screen.getByRole('note', { name: 'Vista previa' })).toHaveTextContent(
      'Hola Pablo, tu pedido #1234 está en camino. Tienda',
    );
    await user.click(send);
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      body: { name: 'order_update', language: 'es', body: ['Pablo', '#1234'] },
      key: expect.any(String),
    });
  });

  it('refuses a value with a run of five spaces under its field, before any request', async () => {
    const sent: { body: unknown; key: string | null }[] = [];
    api(sent);
    const user = userEvent.setup();
    renderWithApp(<TemplatePicker conversation={closed} now={() => NOW} />);
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'Plantilla' }),
      'order_update|es',
    );
    await user.type(screen.getByRole('textbox', { name: 'Texto {{1}}' }), '    .     x');
    await user.type(screen.getByRole('textbox', { name: 'Texto {{2}}' }), '#1');
    expect(
      screen.getByText('Sin saltos de línea, tabuladores ni más de 4 espacios seguidos.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enviar plantilla' })).toBeDisabled();
    expect(sent).toHaveLength(0);
  });

  it('with the window open: templates wait behind a button (English)', async () => {
    api([]);
    const user = userEvent.setup();
    renderWithApp(<TemplatePicker conversation={open} now={() => NOW} />, {
      language: 'en',
    });
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Templates' }));
    expect(await screen.findByRole('combobox', { name: 'Template' })).toBeInTheDocument();
  });
});
