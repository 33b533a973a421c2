import { CONSENT_DEFAULTS, consentKeyword, consentSettingsProblems } from './consent';

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

describe('consentSettingsProblems', () => {
  it('accepts the defaults', () => {
    expect(consentSettingsProblems(CONSENT_DEFAULTS)).toEqual([]);
  });

  it('refuses an empty list, a keyword of punctuation only, and a keyword in both lists', () => {
    const problems = consentSettingsProblems({
      ...CONSENT_DEFAULTS,
      optOutKeywords: ['Basta', '!!'],
      optInKeywords: ['básta'],
    });
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['optOutKeywords[1]', 'consentKeywordEmpty'],
      ['optInKeywords[0]', 'consentKeywordInBothLists'],
    ]);
    expect(
      consentSettingsProblems({ ...CONSENT_DEFAULTS, optInKeywords: [] }).map((p) => p.field),
    ).toEqual(['optInKeywords']);
  });
});
