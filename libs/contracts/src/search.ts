// Conversation search: one normalizer for the API (terms kept on write, the query) and the SPA (what
// it sends). A conversation is found when every query word starts a word of its contact (name,
// username, shown digits, short id) or is a whole word of one of its messages: indexing every
// prefix of every message word would store ten times as many terms per message.

/** Longest indexed prefix; longer query words are cut to it (the index cannot tell them apart). */
export const SEARCH_TERM_MAX_LENGTH = 12;
/** Query words beyond this many are ignored. */
export const SEARCH_QUERY_MAX_WORDS = 5;
/** A message adds at most this many terms (the first words win). */
const MESSAGE_TERMS_MAX = 100;

/**
 * Lower case, accents removed, other signs as spaces ("¿José?" → "jose", "pingüino" → "pinguino"):
 * the one text normalizer of search and of the rules responder's keywords.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a search box, normalized, cut to the indexed length, without repeats. */
export function searchQueryWords(q: string): string[] {
  const words = normalizeText(q)
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => [...w].slice(0, SEARCH_TERM_MAX_LENGTH).join(''));
  return [...new Set(words)].slice(0, SEARCH_QUERY_MAX_WORDS);
}

function prefixesOf(word: string): string[] {
  const chars = [...word].slice(0, SEARCH_TERM_MAX_LENGTH);
  return chars.map((_, n) => chars.slice(0, n + 1).join(''));
}

function wordsOf(text: string): string[] {
  return normalizeText(text)
    .split(' ')
    .filter((w) => w !== '');
}

/** What identifies a conversation in the list: the name, username, shown phone digits or label. */
export interface SearchableContact {
  contactName: string | null;
  contactUsername: string | null;
  /** The last digits the list shows of the phone ({@link maskPhone}); never the whole number. */
  phoneDigitsShown: string | null;
  /** The short id shown for a visitor without a name (web visitor, or a WhatsApp BSUID). */
  shortId: string | null;
}

/** Index terms of a contact: every prefix of every word, every run of the shown digits. */
export function contactSearchTerms(contact: SearchableContact): string[] {
  const terms = new Set<string>();
  for (const text of [contact.contactName, contact.contactUsername, contact.shortId]) {
    for (const word of wordsOf(text ?? '')) for (const p of prefixesOf(word)) terms.add(p);
  }
  const digits = contact.phoneDigitsShown ?? '';
  // "3456", "456", "56": the end of the number as the user reads it, and each shorter run.
  for (let start = 0; start < digits.length; start++) {
    for (let end = start + 2; end <= digits.length; end++) terms.add(digits.slice(start, end));
  }
  return [...terms];
}

/** Index terms of a message's text: its words (whole, cut to the indexed length), bounded. */
export function messageSearchTerms(text: string): string[] {
  const words = wordsOf(text).map((w) => [...w].slice(0, SEARCH_TERM_MAX_LENGTH).join(''));
  return [...new Set(words)].slice(0, MESSAGE_TERMS_MAX);
}
