import { EgressPolicy, EgressRefused } from '../egress/egress-policy';
import { LlmCallError } from './openai-compatible-responder';

export interface TranscriptionRequest {
  baseUrl: string;
  /** The egress policy of tenant-chosen URLs; null for the operator's own endpoint. */
  egress: EgressPolicy | null;
  apiKey: string | null;
  model: string;
  audio: { data: Buffer; mimeType: string; fileName: string };
  /** ISO-639-1 hint (`es`, `en`); omitted when unknown. */
  language?: string;
  timeoutMs: number;
}

const OPERATOR_EGRESS = new EgressPolicy(true);
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Calls an OpenAI-compatible `POST {baseUrl}/audio/transcriptions` (multipart: `file`, `model`,
 * `language`) and returns the text. Throws {@link LlmCallError}; bounded by `timeoutMs`.
 */
export async function transcribeAudio(req: TranscriptionRequest): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  try {
    const form = new FormData();
    form.append('model', req.model);
    form.append('response_format', 'json');
    if (req.language) form.append('language', req.language);
    form.append(
      'file',
      new Blob([new Uint8Array(req.audio.data)], { type: req.audio.mimeType }),
      req.audio.fileName,
    );
    // The platform's own multipart encoding, read into one buffer for the egress request.
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    let response;
    try {
      response = await (req.egress ?? OPERATOR_EGRESS).request(
        `${req.baseUrl}/audio/transcriptions`,
        {
          method: 'POST',
          headers: {
            'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data',
            'content-length': String(body.length),
            accept: 'application/json',
            ...(req.apiKey ? { authorization: `Bearer ${req.apiKey}` } : {}),
          },
          body,
          signal: controller.signal,
        },
      );
    } catch (err) {
      if (err instanceof EgressRefused) throw new LlmCallError('egress', err.reason);
      if (controller.signal.aborted) {
        throw new LlmCallError('timeout', `no answer within ${req.timeoutMs} ms`);
      }
      throw new LlmCallError('network', err instanceof Error ? err.message : 'network error');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_ANSWER_BYTES) throw new LlmCallError('protocol', 'answer too large');
      chunks.push(chunk as Buffer);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new LlmCallError('http', `transcriptions answered ${response.status}`, response.status);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new LlmCallError('protocol', 'transcriptions answered no JSON');
    }
    const text = (parsed as { text?: unknown }).text;
    if (typeof text !== 'string') throw new LlmCallError('protocol', 'answer without text');
    if (text.trim() === '') throw new LlmCallError('empty', 'empty transcript');
    return text.trim();
  } finally {
    clearTimeout(timer);
  }
}
