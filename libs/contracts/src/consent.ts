import type { FieldError } from './errors';
import type { FieldRule } from './rules';
import { normalizeText } from './search';

/** Said as the whole message, these stop marketing messages to the customer (per chatbot, editable). */
export const DEFAULT_OPT_OUT_KEYWORDS = ['STOP', 'BAJA', 'CANCELAR', 'NO MOLESTAR'] as const;
/** Said as the whole message, these let marketing messages reach the customer again. */
export const DEFAULT_OPT_IN_KEYWORDS = ['START', 'ALTA'] as const;

/** The one answer to an opt-out or opt-in keyword (the customer's language is not known). */
export const CONSENT_CONFIRMATIONS = {
  opted_out:
    'Listo: no te enviaremos más mensajes promocionales. Escribe ALTA para volver a recibirlos. / Done: no more promotional messages. Send START to receive them again.',
  opted_in:
    'Listo: volverás a recibir nuestras novedades. Escribe BAJA para dejar de recibirlas. / Done: you will receive our news again. Send STOP to stop them.',
} as const;

export const CONSENT_STATES = ['opted_out', 'opted_in'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/** How the consent changed: the customer's keyword, or Meta's 131050 ("user stopped marketing"). */
export const CONSENT_SOURCES = ['keyword', 'meta_131050'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export interface ConsentEventView {
  state: ConsentState;
  via: ConsentSource;
  at: string;
}

/** The consent a message asks for when it is exactly one of the keywords (case and accents aside). */
export function consentKeyword(
  text: string,
  optOut: readonly string[] = DEFAULT_OPT_OUT_KEYWORDS,
  optIn: readonly string[] = DEFAULT_OPT_IN_KEYWORDS,
): ConsentState | null {
  const said = normalizeText(text);
  if (said === '') return null;
  if (optOut.some((k) => normalizeText(k) === said)) return 'opted_out';
  if (optIn.some((k) => normalizeText(k) === said)) return 'opted_in';
  return null;
}

/** A chatbot's opt-out and opt-in keywords and the one answer to each. */
export interface ConsentSettings {
  optOutKeywords: string[];
  optInKeywords: string[];
  /** Said once when the customer opts out. */
  optOutConfirmation: string;
  /** Said once when the customer opts back in. */
  optInConfirmation: string;
}

export const CONSENT_DEFAULTS: ConsentSettings = {
  optOutKeywords: [...DEFAULT_OPT_OUT_KEYWORDS],
  optInKeywords: [...DEFAULT_OPT_IN_KEYWORDS],
  optOutConfirmation: CONSENT_CONFIRMATIONS.opted_out,
  optInConfirmation: CONSENT_CONFIRMATIONS.opted_in,
};

export const CONSENT_RULES = {
  keyword: { required: true, minLength: 1, maxLength: 40 },
  confirmation: { required: true, minLength: 1, maxLength: 1000 },
} satisfies Record<string, FieldRule>;
export const CONSENT_MAX_KEYWORDS = 20;

/**
 * What the field rules cannot say about consent settings: each list needs a keyword, a keyword
 * must have a letter or digit (it is matched without punctuation), and no keyword may be in both
 * lists (the same message cannot opt out and in).
 */
export function consentSettingsProblems(settings: ConsentSettings): FieldError[] {
  const problems: FieldError[] = [];
  const lists = [
    ['optOutKeywords', settings.optOutKeywords],
    ['optInKeywords', settings.optInKeywords],
  ] as const;
  for (const [field, keywords] of lists) {
    if (keywords.length === 0) {
      problems.push({ field, code: 'required', message: 'needs at least one keyword' });
    }
    keywords.forEach((k, i) => {
      if (normalizeText(k) === '') {
        problems.push({
          field: `${field}[${i}]`,
          code: 'consentKeywordEmpty',
          message: 'must contain a letter or a digit',
        });
      }
    });
  }
  const optOut = new Set(settings.optOutKeywords.map(normalizeText));
  settings.optInKeywords.forEach((k, i) => {
    const said = normalizeText(k);
    if (said !== '' && optOut.has(said)) {
      problems.push({
        field: `optInKeywords[${i}]`,
        code: 'consentKeywordInBothLists',
        message: 'is also an opt-out keyword',
      });
    }
  });
  return problems;
}
