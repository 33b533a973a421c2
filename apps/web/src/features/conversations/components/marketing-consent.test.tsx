import { screen } from '@testing-library/react';
import { conversation } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { MarketingConsent } from './marketing-consent';

describe('MarketingConsent', () => {
  it('says the customer opted out and lists each change with how it happened', () => {
    renderWithApp(
      <MarketingConsent
        conversation={conversation({
          marketingConsent: {
            optedOut: true,
            history: [
              { state: 'opted_out', via: 'keyword', at: '2026-03-01T10:00:00.000Z' },
              { state: 'opted_in', via: 'keyword', at: '2026-03-02T10:00:00.000Z' },
              { state: 'opted_out', via: 'meta_131050', at: '2026-03-03T10:00:00.000Z' },
            ],
          },
        })}
      />,
    );
    const box = screen.getByRole('complementary', { name: 'Consentimiento de marketing' });
    expect(box).toHaveTextContent('Sin marketing: el cliente pidió la baja');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('baja (palabra clave del cliente)'),
      expect.stringContaining('alta (palabra clave del cliente)'),
      expect.stringContaining('(131050)'),
    ]);
  });

  it('shows nothing while the consent never changed', () => {
    const { container } = renderWithApp(<MarketingConsent conversation={conversation()} />);
    expect(container.querySelector('aside')).toBeNull();
  });
});
