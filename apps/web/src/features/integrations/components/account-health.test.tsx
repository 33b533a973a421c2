import {
  ALERT_TYPES,
  EMPTY_ACCOUNT_HEALTH,
  MESSAGING_LIMIT_TIERS,
  NAME_DECISIONS,
  NAME_REJECTIONS,
  QUALITY_EVENTS,
  QUALITY_RATINGS,
  RESTRICTION_TYPES,
  TEMPLATE_EVENTS,
  TEMPLATE_REASONS,
  VERIFICATION_STATUSES,
  ACCOUNT_STANDINGS,
  type AccountHealth,
} from '@conecta/contracts';
import { screen, within } from '@testing-library/react';
import { en } from '../../../lib/i18n/en';
import { es } from '../../../lib/i18n/es';
import { integration } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { IntegrationCard } from './integration-card';

const AT = '2026-12-01T10:00:00.000Z';

const ACCOUNT: AccountHealth = {
  ...EMPTY_ACCOUNT_HEALTH,
  quality: { event: 'DOWNGRADE', limit: 'TIER_250', oldLimit: 'TIER_2K', at: AT },
  alerts: [
    {
      type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
      severity: 'WARNING',
      description: 'Your business is not yet eligible for a higher messaging limit.',
      at: AT,
    },
  ],
  templates: [
    {
      name: 'pedido_listo',
      language: 'es',
      event: 'REJECTED',
      reason: 'INVALID_FORMAT',
      detail: 'Variable parameters are not properly formatted.',
      at: AT,
    },
  ],
};

function renderCard(account: AccountHealth, language: 'es' | 'en' = 'es', over = {}) {
  renderWithApp(
    <IntegrationCard
      platform="WHATSAPP"
      canManage
      integration={integration({ account, ...over })}
    />,
    { language },
  );
  return screen.getByRole('article', { name: 'WhatsApp Business' });
}

describe('IntegrationCard: what Meta said about the account', () => {
  it('shows quality, messaging limit, the quality change and open alerts in plain Spanish, with Meta’s own words', () => {
    const card = renderCard(ACCOUNT);
    const region = within(card).getByRole('region', { name: 'Estado de la cuenta en Meta' });
    expect(within(region).getByText('Calidad')).toBeInTheDocument();
    expect(within(region).getByText('Alta')).toBeInTheDocument();
    expect(within(region).getByText('250 clientes nuevos cada 24 h')).toBeInTheDocument();
    expect(
      within(region).getByText('Meta ha bajado el límite de mensajes del número por su calidad.'),
    ).toBeInTheDocument();
    expect(
      within(region).getByText(/Meta aún no puede subir el límite de mensajes/),
    ).toBeInTheDocument();
    expect(
      within(region).getByText(
        'Meta: «Your business is not yet eligible for a higher messaging limit.»',
      ),
    ).toBeInTheDocument();
    // Meta's raw codes never reach the owner.
    for (const raw of [
      'GREEN',
      'TIER_250',
      'DOWNGRADE',
      'INCREASED_CAPABILITIES',
      'INVALID_FORMAT',
    ]) {
      expect(card.textContent).not.toContain(raw);
    }
  });

  it('shows the same in English, and the template change in the details', () => {
    const card = renderCard(ACCOUNT, 'en');
    expect(within(card).getByText('Quality')).toBeInTheDocument();
    expect(within(card).getByText('High')).toBeInTheDocument();
    expect(within(card).getByText('250 new customers every 24 h')).toBeInTheDocument();
    expect(within(card).getByText('Alerts from Meta')).toBeInTheDocument();
    expect(within(card).getByText('Account details')).toBeInTheDocument();
    expect(
      within(card).getByText('Template “pedido_listo” (es): rejected, invalid format'),
    ).toBeInTheDocument();
    expect(
      within(card).getByText('Meta: “Variable parameters are not properly formatted.”'),
    ).toBeInTheDocument();
  });

  it('explains a restriction with what the number can no longer do and until when', () => {
    const card = renderCard(
      {
        ...EMPTY_ACCOUNT_HEALTH,
        standing: {
          state: 'restricted',
          event: 'ACCOUNT_RESTRICTION',
          restrictions: [
            { type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: '2026-12-31T00:00:00+0000' },
          ],
          banState: null,
          banDate: null,
          at: AT,
        },
      },
      'es',
      { status: 'error', errorType: 'ACCOUNT_RESTRICTED' },
    );
    expect(within(card).getByText('Error')).toBeInTheDocument();
    expect(
      within(card).getByText('Meta ha restringido la cuenta de WhatsApp Business.'),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(
        /No puede iniciar conversaciones con clientes .*31 de diciembre de 2026/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a value Meta added later as "unknown", never raw and never crashing', () => {
    const card = renderCard({
      ...EMPTY_ACCOUNT_HEALTH,
      quality: { event: 'NEW_QUALITY_EVENT', limit: 'TIER_9X', oldLimit: null, at: AT },
      alerts: [{ type: 'SOMETHING_NEW', severity: null, description: null, at: AT }],
    });
    expect(within(card).getAllByText('Valor desconocido')).toHaveLength(2);
    expect(within(card).getByText('Meta ha enviado un aviso sobre la cuenta.')).toBeInTheDocument();
    expect(card.textContent).not.toContain('TIER_9X');
    expect(card.textContent).not.toContain('NEW_QUALITY_EVENT');
  });

  it('has words in both languages for every code the contracts list', () => {
    const codes: [string, readonly string[]][] = [
      ['account.quality', QUALITY_RATINGS],
      ['account.qualityEvent', QUALITY_EVENTS],
      ['account.tier', MESSAGING_LIMIT_TIERS],
      ['account.template', TEMPLATE_EVENTS],
      ['account.templateReason', TEMPLATE_REASONS],
      ['account.restriction', RESTRICTION_TYPES],
      ['account.standing', ACCOUNT_STANDINGS],
      ['account.alert', ALERT_TYPES],
      ['account.name', NAME_DECISIONS],
      ['account.nameRejection', NAME_REJECTIONS],
      ['account.verification', VERIFICATION_STATUSES],
    ];
    for (const [prefix, list] of codes) {
      for (const code of list) {
        expect([`${prefix}.${code}`, `${prefix}.${code}` in es]).toEqual([
          `${prefix}.${code}`,
          true,
        ]);
        expect([`${prefix}.${code}`, `${prefix}.${code}` in en]).toEqual([
          `${prefix}.${code}`,
          true,
        ]);
      }
    }
  });

  it('shows the quality as low when Meta flagged it after the last connection test', () => {
    const card = renderCard(
      {
        ...EMPTY_ACCOUNT_HEALTH,
        quality: { event: 'FLAGGED', limit: null, oldLimit: null, at: AT },
      },
      'en',
      { lastTestedAt: '2026-11-30T10:00:00.000Z' },
    );
    expect(within(card).getByText('Low')).toBeInTheDocument();
    expect(within(card).queryByText('High')).not.toBeInTheDocument();
    expect(within(card).getByText(/flagged the number’s quality as low/)).toBeInTheDocument();
  });
});
