import { EgressPolicy, EgressRefused, type EgressResponse } from '../egress/egress-policy';
import type { ResponderTurn } from './responder.types';

export interface ChatCompletionsRequest {
  baseUrl: string;
  /** The egress policy of tenant-chosen URLs; null for the operator's own LLM_BASE_URL. */
  egress: EgressPolicy | null;
  apiKey: string | null;
  model: string;
  system: string;
  history: ResponderTurn[];
  temperature: number | null;
  maxTokens: number | null;
  timeoutMs: number;
}

export interface ChatCompletionsResult {
  content: string;
  tokens?: number;
  responseTimeMs: number;
  firstTokenLatencyMs?: number;
}

/** Why a chat-completions call gave no answer (for the log; the user gets the fallback). */
export class LlmCallError extends Error {
  constructor(
    readonly kind: 'timeout' | 'http' | 'network' | 'empty' | 'protocol' | 'egress',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmCallError';
  }
}

interface StreamChunk {
  choices?: { delta?: { content?: string | null }; message?: { content?: string | null } }[];
  usage?: { total_tokens?: number; completion_tokens?: number; prompt_tokens?: number } | null;
}

function tokensOf(usage: StreamChunk['usage']): number | undefined {
  if (!usage) return undefined;
  if (typeof usage.total_tokens === 'number') return usage.total_tokens;
  const sum = (usage.prompt_tokens ?? 0) + (usage.completion_tokens ?? 0);
  return sum > 0 ? sum : undefined;
}

/** The operator's own LLM_BASE_URL may be anywhere (a self-hosted model on the same host). */
const OPERATOR_EGRESS = new EgressPolicy(true);

/**
 * Calls an OpenAI-compatible `/chat/completions` endpoint with `stream: true` and reads the SSE
 * stream, timing the first token. Throws {@link LlmCallError}; the whole call is bounded by
 * `timeoutMs`.
 */
export async function streamChatCompletion(
  req: ChatCompletionsRequest,
): Promise<ChatCompletionsResult> {
  const started = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  try {
    const messages = [
      ...(req.system ? [{ role: 'system', content: req.system }] : []),
      ...req.history.map((t) => ({
        role: t.role,
        // A turn with photos is a list of parts: its text (the caption), then each image.
        content: t.images?.length
          ? [
              ...(t.content ? [{ type: 'text', text: t.content }] : []),
              ...t.images.map((i) => ({
                type: 'image_url',
                image_url: { url: `data:${i.mimeType};base64,${i.data.toString('base64')}` },
              })),
            ]
          : t.content,
      })),
    ];
    const body: Record<string, unknown> = {
      model: req.model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    };
    if (req.temperature !== null) body.temperature = req.temperature;
    if (req.maxTokens !== null) body.max_tokens = req.maxTokens;
    let response: EgressResponse;
    try {
      response = await (req.egress ?? OPERATOR_EGRESS).request(
        // The path is appended to the parsed URL: a `#` or `?` in the base cannot cut it off.
        `${req.baseUrl}/chat/completions`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(req.apiKey ? { authorization: `Bearer ${req.apiKey}` } : {}),
          },
          body: JSON.stringify(body),
          signal: controller.signal,
        },
      );
    } catch (err) {
      if (err instanceof EgressRefused) throw new LlmCallError('egress', err.reason);
      if (controller.signal.aborted)
        throw new LlmCallError('timeout', `no answer within ${req.timeoutMs} ms`);
      throw new LlmCallError('network', err instanceof Error ? err.message : 'network error');
    }
    if (response.status < 200 || response.status >= 300) {
      response.body.resume();
      throw new LlmCallError(
        'http',
        `chat-completions answered ${response.status}`,
        response.status,
      );
    }

    let content = '';
    let tokens: number | undefined;
    let firstTokenLatencyMs: number | undefined;
    const handle = (chunk: StreamChunk): void => {
      const choice = chunk.choices?.[0];
      const piece = choice?.delta?.content ?? choice?.message?.content ?? '';
      if (piece) {
        firstTokenLatencyMs ??= Date.now() - started;
        content += piece;
      }
      tokens = tokensOf(chunk.usage) ?? tokens;
    };

    const isJson = (response.headers['content-type'] ?? '').includes('application/json');
    const decoder = new TextDecoder();
    let buffer = '';
    let done = false;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        buffer += decoder.decode(chunk, { stream: true });
        if (isJson) continue;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') {
            done = true;
            break;
          }
          try {
            handle(JSON.parse(data) as StreamChunk);
          } catch {
            throw new LlmCallError('protocol', 'malformed stream chunk');
          }
        }
        if (done) break;
      }
      if (done) response.body.destroy();
    } catch (err) {
      response.body.destroy();
      if (err instanceof LlmCallError) throw err;
      if (controller.signal.aborted)
        throw new LlmCallError('timeout', `no answer within ${req.timeoutMs} ms`);
      throw new LlmCallError('network', err instanceof Error ? err.message : 'stream failed');
    }
    // Endpoints that ignore `stream: true` answer one JSON body.
    if (isJson) {
      try {
        handle(JSON.parse(buffer) as StreamChunk);
      } catch {
        throw new LlmCallError('protocol', 'malformed JSON answer');
      }
    }
    if (!content.trim()) throw new LlmCallError('empty', 'the endpoint answered no content');
    return {
      content: content.trim(),
      tokens,
      responseTimeMs: Date.now() - started,
      firstTokenLatencyMs,
    };
  } finally {
    clearTimeout(timer);
  }
}
