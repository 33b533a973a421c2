import { screen } from '@testing-library/react';
import { conversation } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { AdReferral } from './ad-referral';

const fromAd = conversation({
  adReferral: {
    sourceUrl: 'https://fb.me/ad',
    sourceType: 'ad',
    headline: 'Oferta de invierno',
    body: 'Escríbenos por WhatsApp',
    mediaType: 'image',
    ctwaClid: 'ARAkLkA8rmlFeiCktEJQ',
  },
  freeEntryPointEndsAt: '2026-03-04T10:00:00.000Z',
});

describe('AdReferral', () => {
  it('shows the ad a thread came from and its free-entry-point window, in Spanish and English', () => {
    for (const [language, label, origin, free] of [
      [
        'es',
        'Anuncio de origen',
        /anuncio de clic a WhatsApp/,
        /Punto de entrada gratuito ventana de 72 h hasta el .*2026/,
      ],
      ['en', 'Source ad', /click-to-WhatsApp ad/, /Free entry point 72 h window until .*2026/],
    ] as const) {
      const view = renderWithApp(<AdReferral conversation={fromAd} />, { language });
      const card = screen.getByRole('complementary', { name: label });
      expect(card).toHaveTextContent(origin);
      expect(card).toHaveTextContent('Oferta de invierno');
      expect(card).toHaveTextContent('Escríbenos por WhatsApp');
      expect(card).toHaveTextContent('ARAkLkA8rmlFeiCktEJQ');
      expect(card).toHaveTextContent(free);
      expect(screen.getByRole('link')).toHaveAttribute('href', 'https://fb.me/ad');
      view.unmount();
    }
  });

  it('shows nothing for a thread that did not start at an ad', () => {
    renderWithApp(<AdReferral conversation={conversation()} />);
    expect(screen.queryByRole('complementary')).toBeNull();
  });
});
