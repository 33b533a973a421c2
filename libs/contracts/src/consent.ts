import { normalizeText } from './search';

/** Said as the whole message, these stop marketing messages to the customer (per chatbot, editable later). */
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
