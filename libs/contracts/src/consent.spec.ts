import { consentKeyword } from './consent';

describe('consentKeyword', () => {
  it('matches the whole message only, case- and accent-blind, with the defaults', () => {
    expect(consentKeyword('STOP')).toBe('opted_out');
    expect(consentKeyword('  baja. ')).toBe('opted_out');
    expect(consentKeyword('¡No molestár!')).toBe('opted_out');
    expect(consentKeyword('Cancelar')).toBe('opted_out');
    expect(consentKeyword('alta')).toBe('opted_in');
    expect(consentKeyword('Start')).toBe('opted_in');
    expect(consentKeyword('quiero cancelar mi pedido')).toBeNull();
    expect(consentKeyword('stop please')).toBeNull();
    expect(consentKeyword('')).toBeNull();
  });

  it('takes a chatbot’s own keywords', () => {
    expect(consentKeyword('basta', ['BASTA'], ['VOLVER'])).toBe('opted_out');
    expect(consentKeyword('stop', ['BASTA'], ['VOLVER'])).toBeNull();
  });
});
