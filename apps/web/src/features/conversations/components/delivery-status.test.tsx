import { screen } from '@testing-library/react';
import { renderWithApp } from '../../../testing/render';
import { DeliveryStatus } from './delivery-status';

/** The meaning of each Meta code as the owner must read it (Meta's error-code table). */
const MEANINGS: [number, RegExp, RegExp][] = [
  [
    131049,
    /proteger la interacción.*no lo reenvíes antes de 24 horas/,
    /protect healthy engagement.*do not resend within 24 hours/,
  ],
  [
    131048,
    /Límite por spam: la calidad del número está restringida/,
    /Spam rate limit: the number’s quality is restricted/,
  ],
  [133016, /Demasiados registros.*espera 72 horas/, /Too many registrations.*wait 72 hours/],
  [
    131050,
    /dejó de recibir mensajes de marketing \(las respuestas de atención siguen funcionando\)/,
    /stopped marketing messages \(service replies still work\)/,
  ],
  [
    131047,
    /más de 24 horas.*Cuando el cliente vuelva a escribir/,
    /More than 24 hours.*Once the customer writes again/,
  ],
];

describe('DeliveryStatus of a failed reply', () => {
  it.each(MEANINGS)(
    'says what Meta code %i means, in Spanish and English, with Meta’s words',
    (code, es, en) => {
      for (const [language, meaning] of [
        ['es', es],
        ['en', en],
      ] as const) {
        const view = renderWithApp(
          <DeliveryStatus
            status="failed"
            failure={{ code, type: 'MESSAGE_SEND_FAILED', detail: 'Meta detail text' }}
          />,
          { language },
        );
        const tooltip = screen.getByRole('tooltip');
        expect(tooltip).toHaveTextContent(meaning);
        expect(tooltip).toHaveTextContent('Meta detail text');
        view.unmount();
      }
    },
  );

  it('falls back to the failure type when the code has no text of its own', () => {
    renderWithApp(
      <DeliveryStatus
        status="failed"
        failure={{ code: 999999, type: 'RATE_LIMIT_EXCEEDED', detail: null }}
      />,
    );
    expect(screen.getByRole('tooltip')).toHaveTextContent(
      'No entregado: Meta está limitando las peticiones. Espera un momento.',
    );
  });

  it('words the code in the user’s language and quotes Meta’s own message as Meta’s', () => {
    for (const [language, text] of [
      [
        'es',
        'No entregado: Meta ha rechazado la petición por no ser válida. (Meta: «(#100) Invalid parameter»)',
      ],
      [
        'en',
        'Not delivered: Meta rejected the request as invalid. (Meta: “(#100) Invalid parameter”)',
      ],
    ] as const) {
      const view = renderWithApp(
        <DeliveryStatus
          status="failed"
          failure={{ code: 100, type: 'INVALID_REQUEST', detail: '(#100) Invalid parameter' }}
        />,
        { language },
      );
      expect(screen.getByRole('tooltip')).toHaveTextContent(text, { normalizeWhitespace: true });
      view.unmount();
    }
  });

  it('says only our words when Meta said nothing (a network failure): no “Meta:” quote', () => {
    for (const [language, text] of [
      ['es', 'No entregado: No se pudo contactar con Meta. Inténtalo de nuevo en unos minutos.'],
      ['en', 'Not delivered: Could not reach Meta. Try again in a few minutes.'],
    ] as const) {
      const view = renderWithApp(
        <DeliveryStatus
          status="failed"
          failure={{ code: null, type: 'CONNECTION_FAILED', detail: null }}
        />,
        { language },
      );
      const tooltip = screen.getByRole('tooltip');
      expect(tooltip.textContent).toBe(text);
      view.unmount();
    }
  });

  it('names the part of a split reply that failed, in Spanish and English', () => {
    for (const [language, text] of [
      [
        'es',
        /No entregado: la parte 2 de la respuesta\. .*proteger la interacción.*Meta: «Not delivered»/,
      ],
      ['en', /Not delivered: part 2 of the reply\. .*protect healthy engagement.*Not delivered/],
    ] as const) {
      const view = renderWithApp(
        <DeliveryStatus
          status="failed"
          failure={{ code: 131049, type: 'MESSAGE_SEND_FAILED', detail: 'Not delivered', part: 2 }}
        />,
        { language },
      );
      expect(screen.getByRole('tooltip')).toHaveTextContent(text);
      view.unmount();
    }
  });
});
