/** One turn of the conversation, oldest first; the last one is the user's new message. */
export interface ResponderTurn {
  role: 'user' | 'assistant';
  content: string;
  /** A customer's photos, for a model that accepts images (the content is then their caption). */
  images?: { mimeType: string; data: Buffer }[];
}

export interface ResponderResult {
  content: string;
  /** `rules`: welcome or FAQ answer; `llm`: the chat-completions endpoint; `fallback`: neither. */
  source: 'rules' | 'llm' | 'fallback';
  tokens?: number;
  responseTimeMs: number;
  firstTokenLatencyMs?: number;
  /** Set when the bot hands the conversation to a person; `content` is then the handoff message. */
  handoff?: HandoffTrigger;
}

/** What made the bot hand over: the customer's words, the rules' fallback, the LLM's marker. */
export type HandoffTrigger = 'keyword' | 'fallback' | 'llm';
