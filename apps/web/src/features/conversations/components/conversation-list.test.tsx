import { conversation } from '../../../testing/fixtures';
import { contactLabel } from './conversation-list';

describe('contactLabel of a WhatsApp customer (usernames and BSUIDs, Meta 2026)', () => {
  const base = conversation({ channel: 'whatsapp', contactName: null });

  it('shows the username when there is one', () => {
    const item = {
      ...base,
      username: '@lu.shop',
      maskedPhone: '•••• 4567',
      visitorLabel: '@lu.shop',
    };
    expect(contactLabel(item, 'Visitante')).toEqual({ title: '@lu.shop', subtitle: null });
    expect(contactLabel({ ...item, contactName: 'Lu' }, 'Visitante')).toEqual({
      title: 'Lu',
      subtitle: '@lu.shop',
    });
  });

  it('else the masked phone', () => {
    const item = { ...base, username: null, maskedPhone: '•••• 4567', visitorLabel: '•••• 4567' };
    expect(contactLabel(item, 'Visitante')).toEqual({ title: '•••• 4567', subtitle: null });
  });

  it('else a short form of the business-scoped user id, never the full id', () => {
    const item = { ...base, username: null, maskedPhone: null, visitorLabel: 'US…1918' };
    expect(contactLabel(item, 'Visitante')).toEqual({ title: 'US…1918', subtitle: null });
    expect(contactLabel({ ...item, contactName: 'Lu' }, 'Visitante')).toEqual({
      title: 'Lu',
      subtitle: 'US…1918',
    });
  });
});
