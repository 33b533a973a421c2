import { conversation } from '../../../testing/fixtures';
import { es } from '../../../lib/i18n/es';
import { format, type Translate } from '../../../lib/i18n/i18n';
import { contactLabel } from './conversation-list';

const t: Translate = (key, vars) => format(es[key], vars);

describe('contactLabel of a WhatsApp customer (usernames and BSUIDs, Meta 2026)', () => {
  const base = conversation({ channel: 'whatsapp', contactName: null });

  it('shows the username when there is one', () => {
    const item = {
      ...base,
      username: '@lu.shop',
      maskedPhone: '•••• 4567',
      visitorLabel: '@lu.shop',
    };
    expect(contactLabel(item, t)).toEqual({ title: '@lu.shop', subtitle: null });
    expect(contactLabel({ ...item, contactName: 'Lu' }, t)).toEqual({
      title: 'Lu',
      subtitle: '@lu.shop',
    });
  });

  it('else the masked phone', () => {
    const item = { ...base, username: null, maskedPhone: '•••• 4567', visitorLabel: '•••• 4567' };
    expect(contactLabel(item, t)).toEqual({ title: '•••• 4567', subtitle: null });
  });

  it('else a short form of the business-scoped user id, never the full id', () => {
    const item = { ...base, username: null, maskedPhone: null, visitorLabel: 'US…1918' };
    expect(contactLabel(item, t)).toEqual({ title: 'US…1918', subtitle: null });
    expect(contactLabel({ ...item, contactName: 'Lu' }, t)).toEqual({
      title: 'Lu',
      subtitle: 'US…1918',
    });
  });
});
