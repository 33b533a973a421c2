import { AUDIT_ACTIONS, type AuditEntryView } from '@conecta/contracts';
import { en } from '../../../lib/i18n/en';
import { es } from '../../../lib/i18n/es';
import { format, type Translate } from '../../../lib/i18n/i18n';
import { auditAction, auditActor, auditTarget } from './audit-words';

const tr =
  (dict: typeof es | typeof en): Translate =>
  (key, vars) =>
    format(dict[key], vars);

const entry = (over: Partial<AuditEntryView> = {}): AuditEntryView => ({
  id: 'e1',
  action: 'chatbot.update',
  outcome: 'success',
  actor: { type: 'user', userId: 'u1', apiKeyId: null, email: null, name: 'Ana López' },
  target: { type: 'chatbot', id: 'c1', name: 'Tienda' },
  ip: '127.0.0.1',
  metadata: {},
  createdAt: new Date().toISOString(),
  ...over,
});

describe('audit log words (action codes → Spanish and English)', () => {
  it.each(AUDIT_ACTIONS)('words %s in each language', (action) => {
    const a = auditAction(entry({ action }), tr(es));
    const b = auditAction(entry({ action }), tr(en));
    expect(a).not.toBe(action);
    expect(b).not.toBe(action);
    expect(a).not.toBe(b);
  });

  it('says who: a person by name, an API key by its name', () => {
    expect(auditActor(entry(), tr(es))).toBe('Ana López');
    const byKey = entry({
      actor: { type: 'apiKey', userId: null, apiKeyId: 'k1', email: null, name: 'CRM' },
    });
    expect(auditActor(byKey, tr(es))).toBe('Clave de API «CRM»');
    expect(auditActor(byKey, tr(en))).toBe('API key “CRM”');
  });

  it('names the target, or says it was deleted', () => {
    expect(auditTarget(entry(), tr(es))).toBe('Tienda');
    const gone = entry({ target: { type: 'chatbot', id: 'c1', name: null } });
    expect(auditTarget(gone, tr(es))).toBe('Chatbot eliminado');
    expect(auditTarget(gone, tr(en))).toBe('Chatbot deleted');
    const contact = entry({
      target: { type: 'contact', id: 'whatsapp:•••• 1234', name: null },
    });
    expect(auditTarget(contact, tr(es))).toBe('Contacto •••• 1234');
  });

  it('names a conversation by its contact, and a web visitor’s by its kind (never "deleted")', () => {
    const named = entry({
      action: 'conversation.close',
      target: { type: 'conversation', id: 'c9', name: 'José Núñez' },
    });
    expect(auditAction(named, tr(es))).toBe('Cerró una conversación');
    expect(auditTarget(named, tr(es))).toBe('José Núñez');
    const visitor = entry({ target: { type: 'conversation', id: 'c9', name: null } });
    expect(auditTarget(visitor, tr(es))).toBe('Conversación');
    expect(auditTarget(visitor, tr(en))).toBe('Conversation');
  });

  it('shows an action this SPA does not know as its code', () => {
    expect(auditAction(entry({ action: 'future.thing' }), tr(es))).toBe('future.thing');
  });
});
