import { normalizeText } from '@conecta/contracts';
import type { FaqEntry } from '@conecta/contracts';
import type { ChatbotRecord } from '../chatbots/chatbot.types';
import type { ResponderResult, ResponderTurn } from './responder.types';
import { containsKeyword } from './text-match';

/** The FAQ entry whose keywords best match the message (the longest matching keyword wins). */
export function matchFaq(faq: FaqEntry[], message: string): FaqEntry | null {
  const text = normalizeText(message);
  let best: { entry: FaqEntry; score: number } | null = null;
  for (const entry of faq) {
    for (const keyword of entry.keywords) {
      if (!containsKeyword(text, keyword)) continue;
      const score = normalizeText(keyword).length;
      if (!best || score > best.score) best = { entry, score };
    }
  }
  return best?.entry ?? null;
}

/**
 * The built-in responder: the welcome message on a first contact (followed by the FAQ answer when the
 * first message already asks something known), FAQ answers by keyword, the fallback otherwise.
 */
export function rulesReply(chatbot: ChatbotRecord, history: ResponderTurn[]): ResponderResult {
  const started = Date.now();
  const last = [...history].reverse().find((t) => t.role === 'user');
  const firstContact = !history.some((t) => t.role === 'assistant');
  const faq = last ? matchFaq(chatbot.faq, last.content) : null;
  const welcome = chatbot.welcomeMessage.trim();
  let content: string;
  let source: ResponderResult['source'] = 'rules';
  if (firstContact && welcome) {
    content = faq ? `${welcome}\n\n${faq.answer}` : welcome;
  } else if (faq) {
    content = faq.answer;
  } else {
    content = chatbot.fallbackMessage;
    source = 'fallback';
  }
  return { content, source, responseTimeMs: Date.now() - started };
}
