import {
  contactSearchTerms,
  messageSearchTerms,
  normalizeText,
  SEARCH_TERM_MAX_LENGTH,
  searchQueryWords,
} from './search';

describe('normalizeText', () => {
  it('folds accents and case so "jose" meets "José" and "pinguino" meets "pingüino"', () => {
    expect(normalizeText('José PÉREZ')).toBe('jose perez');
    expect(normalizeText('Pingüino, ñandú!')).toBe('pinguino nandu');
  });

  it('turns punctuation and repeated spaces into one space', () => {
    expect(normalizeText('  hola…¿qué tal?  ')).toBe('hola que tal');
  });
});

describe('searchQueryWords', () => {
  it('splits, normalizes, removes repeats and cuts long words to the indexed length', () => {
    const long = 'a'.repeat(SEARCH_TERM_MAX_LENGTH + 5);
    expect(searchQueryWords(`José jose ${long}`)).toEqual([
      'jose',
      'a'.repeat(SEARCH_TERM_MAX_LENGTH),
    ]);
  });

  it('answers no words for a query of signs only', () => {
    expect(searchQueryWords(' ¿?  -- ')).toEqual([]);
  });
});

describe('contactSearchTerms', () => {
  it('indexes every prefix of the name, so any start of "José" finds it', () => {
    const terms = contactSearchTerms({
      contactName: 'José Pérez',
      contactUsername: null,
      phoneDigitsShown: null,
      shortId: null,
    });
    for (const q of ['j', 'jo', 'jos', 'jose', 'pe', 'perez']) expect(terms).toContain(q);
  });

  it('indexes the shown last digits and their runs, never more of the number', () => {
    const terms = contactSearchTerms({
      contactName: null,
      contactUsername: null,
      phoneDigitsShown: '3456',
      shortId: null,
    });
    expect(terms).toEqual(expect.arrayContaining(['3456', '345', '456', '56']));
    expect(terms.every((t) => '3456'.includes(t))).toBe(true);
  });

  it('indexes a web visitor by its short id, case-insensitively', () => {
    const terms = contactSearchTerms({
      contactName: null,
      contactUsername: null,
      phoneDigitsShown: null,
      shortId: '7RJe60',
    });
    expect(terms).toContain(searchQueryWords('7rje60')[0]);
  });
});

describe('messageSearchTerms', () => {
  it('indexes the whole words, without accents, cut to the indexed length', () => {
    const terms = messageSearchTerms('Vi un PINGÜINO extraordinariamente grande, un pingüino');
    expect(terms).toEqual(['vi', 'un', 'pinguino', 'extraordinar', 'grande']);
  });

  it('is bounded for a very long message', () => {
    const words = Array.from({ length: 500 }, (_, i) => `palabra${i}`).join(' ');
    expect(messageSearchTerms(words).length).toBeLessThanOrEqual(100);
  });
});
