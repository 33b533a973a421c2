import { normalizeText } from '@conecta/contracts';

export { normalizeText };

function wordMatches(keywordWord: string, word: string): boolean {
  // Simple Spanish/English plurals: precio → precios, horario → horarios, price → prices.
  return word === keywordWord || word === `${keywordWord}s` || word === `${keywordWord}es`;
}

/** True when the keyword (a word or phrase) occurs in the text as whole words. */
export function containsKeyword(normalizedText: string, keyword: string): boolean {
  const kw = normalizeText(keyword).split(' ').filter(Boolean);
  if (kw.length === 0) return false;
  const words = normalizedText.split(' ').filter(Boolean);
  for (let i = 0; i + kw.length <= words.length; i++) {
    if (kw.every((k, j) => wordMatches(k, words[i + j] ?? ''))) return true;
  }
  return false;
}
