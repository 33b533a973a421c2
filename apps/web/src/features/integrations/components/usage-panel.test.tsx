import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { RateCardView } from '@conecta/contracts';
import { agentMe, rateCard, usage } from '../../../testing/fixtures';
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

    // Months in words, newest first, never a raw `2026-11`.
    const months = within(screen.getByRole('combobox', { name: 'Mes' })).getAllByRole('option');
    expect(months.slice(0, 2).map((o) => o.textContent)).toEqual([
      'noviembre de 2026',
      'octubre de 2026',
    ]);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Mes' }), 'octubre de 2026');
    expect(await screen.findByText('Ningún mensaje entregado este mes.')).toBeInTheDocument();
    expect(asked).toEqual(['2026-11', '2026-10']);
  });
});

describe('UsagePanel: rate card and estimate', () => {
  it('says there is no estimate while the card is empty, saves prices an admin enters (validated by the shared rule), and shows the estimate as one with what had no price', async () => {
    const saved: unknown[] = [];
    let card = rateCard();
    server.use(
      http.get('*/api/v1/usage/rate-card', () => HttpResponse.json(card)),
      http.put('*/api/v1/usage/rate-card', async ({ request }) => {
        const body = (await request.json()) as RateCardView;
        saved.push(body);
        card = { ...body, updatedAt: '2026-11-15T12:00:00.000Z' };
        return HttpResponse.json(card);
      }),
      http.get('*/api/v1/usage', () =>
        HttpResponse.json(
          usage({
            month: '2026-11',
            byCategory: [{ category: 'marketing', delivered: 3, billable: 3, free: 0 }],
            bySender: { bot: 4, agent: 0, template: 3 },
            replies: { total: 3, split: 1, parts: 4 },
            totals: { delivered: 7, billable: 7, free: 0 },
            estimate:
              saved.length === 0
                ? null
                : {
                    currency: 'EUR',
                    total: 0.1839,
                    priced: [
                      {
                        category: 'marketing',
                        callingCode: '34',
                        billable: 3,
                        price: 0.0613,
                        amount: 0.1839,
                      },
                    ],
                    unpriced: [{ category: 'service', callingCode: '34', billable: 4 }],
                  },
          }),
        ),
      ),
    );
    const user = userEvent.setup();
    renderWithApp(<UsagePanel integrationId="i1" now={() => NOW} />);
    expect(
      await screen.findByText(
        'Respuestas partidas en varios mensajes: 1 de 3 (33 %), 4 mensajes en total.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Sin estimación: rellena la tabla de precios/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Tarifas de Meta ↗' })).toHaveAttribute(
      'href',
      'https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing',
    );
    expect(await screen.findByText('Todavía no hay precios.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '+ Añadir precio' }));
    await user.click(screen.getByRole('button', { name: '+ Añadir precio' }));
    const first = screen.getByRole('group', { name: 'Precio 1' });
    const second = screen.getByRole('group', { name: 'Precio 2' });
    await user.type(within(first).getByLabelText(/Prefijo de país/), '34');
    await user.type(within(first).getByLabelText(/Precio por mensaje entregado/), '0,0613');
    await user.type(within(second).getByLabelText(/Prefijo de país/), '+34');
    await user.type(within(second).getByLabelText(/Precio por mensaje entregado/), 'gratis');
    await user.click(screen.getByRole('button', { name: 'Guardar precios' }));
    // Errors under the fields; nothing sent.
    expect(
      await within(second).findByText('Ya hay un precio para esta categoría y este país.'),
    ).toBeInTheDocument();
    expect(
      within(second).getByText('Escribe un precio entre 0 y 1000, con hasta 6 decimales.'),
    ).toBeInTheDocument();
    expect(saved).toHaveLength(0);

    await user.selectOptions(within(second).getByLabelText('Categoría'), 'utility');
    const secondPrice = within(second).getByLabelText(/Precio por mensaje entregado/);
    await user.clear(secondPrice);
    await user.type(secondPrice, '0.02');
    await user.click(screen.getByRole('button', { name: 'Guardar precios' }));
    expect(await screen.findByText('Precios guardados.')).toBeInTheDocument();
    expect(saved).toEqual([
      {
        currency: 'EUR',
        rates: [
          { category: 'marketing', callingCode: '34', price: 0.0613 },
          { category: 'utility', callingCode: '34', price: 0.02 },
        ],
      },
    ]);
    // The usage is read again: the estimate, said to be one, and what had no price.
    expect(await screen.findByText(/Estimación: 0,1839/)).toBeInTheDocument();
    expect(screen.getByText(/Es una estimación con tus precios/)).toBeInTheDocument();
    expect(
      screen.getByText('Sin precio en la tabla (no sumados): Servicio +34: 4'),
    ).toBeInTheDocument();
  });

  it('shows the card read-only to an agent', async () => {
    server.use(
      http.get('*/api/v1/usage/rate-card', () =>
        HttpResponse.json(
          rateCard({
            currency: 'USD',
            rates: [{ category: 'marketing', callingCode: null, price: 0.025 }],
            updatedAt: '2026-11-01T00:00:00.000Z',
          }),
        ),
      ),
    );
    renderWithApp(<UsagePanel integrationId="i1" now={() => NOW} />, { me: agentMe });
    expect(await screen.findByDisplayValue('0.025')).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Guardar precios' })).not.toBeInTheDocument();
  });
});
