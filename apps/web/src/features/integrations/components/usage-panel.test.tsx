import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { usage } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { server } from '../../../testing/server';
import { UsagePanel } from './usage-panel';

const NOW = Date.parse('2026-11-15T12:00:00.000Z');

describe('UsagePanel', () => {
  it('shows the month’s delivered messages by category, billable and free, who sent them, and links to Meta’s prices', async () => {
    const asked: string[] = [];
    server.use(
      http.get('*/api/v1/usage', ({ request }) => {
        const month = new URL(request.url).searchParams.get('month') ?? '';
        asked.push(month);
        return HttpResponse.json(
          month === '2026-11'
            ? usage({
                month,
                byCategory: [
                  { category: 'marketing', delivered: 2, billable: 2, free: 0 },
                  { category: 'service', delivered: 5, billable: 3, free: 2 },
                ],
                bySender: { bot: 4, agent: 1, template: 2 },
                totals: { delivered: 7, billable: 5, free: 2 },
              })
            : usage({ month }),
        );
      }),
    );
    const user = userEvent.setup();
    renderWithApp(<UsagePanel integrationId="i1" now={() => NOW} />);
    const table = await screen.findByRole('table', { name: 'Mensajes entregados por categoría' });
    const service = within(table).getByRole('row', { name: /Servicio/ });
    expect(within(table).getByRole('rowheader', { name: 'Marketing' })).toBeInTheDocument();
    expect(
      within(service)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['5', '3', '2']);
    expect(
      screen.getByText('Respuestas del bot: 4 · de agentes: 1 · plantillas: 2'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Precios de WhatsApp (Meta)' })).toHaveAttribute(
      'href',
      'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing',
    );

    await user.selectOptions(screen.getByRole('combobox', { name: 'Mes' }), '2026-10');
    expect(await screen.findByText('Ningún mensaje entregado este mes.')).toBeInTheDocument();
    expect(asked).toEqual(['2026-11', '2026-10']);
  });
});
