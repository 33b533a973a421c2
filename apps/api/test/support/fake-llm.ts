import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers the next chat-completions calls. */
export type FakeLlmBehaviour =
  | {
      kind: 'stream';
      chunks: string[];
      usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
      chunkDelayMs?: number;
      firstChunkDelayMs?: number;
    }
  | { kind: 'json'; content: string; totalTokens?: number }
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'redirect'; location: string }
  | { kind: 'hang' };

export interface FakeLlmRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    stream?: boolean;
    messages?: { role: string; content: string }[];
    temperature?: number;
    max_tokens?: number;
  };
}

/** One `POST /v1/audio/transcriptions` the fake received (multipart fields and the file). */
export interface FakeTranscriptionRequest {
  authorization: string | undefined;
  model: string | null;
  language: string | null;
  fileName: string | null;
  fileType: string | null;
  file: Buffer;
}

/**
 * A fake OpenAI-compatible chat-completions server: a real HTTP server on 127.0.0.1 that records
 * what it received and streams Server-Sent Events the way the real endpoints do.
 */
export class FakeLlmServer {
  readonly requests: FakeLlmRequest[] = [];
  readonly transcriptions: FakeTranscriptionRequest[] = [];
  /** What `/audio/transcriptions` answers: a transcript, or an HTTP status. */
  transcription: { text: string } | { status: number } = { text: 'Hola, ¿tienen envío?' };
  private behaviour: FakeLlmBehaviour = { kind: 'stream', chunks: ['Hola', ', ', '¿qué tal?'] };
  private readonly server: Server;
  private readonly open = new Set<ServerResponse>();

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeLlmServer> {
    const fake = new FakeLlmServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL to configure as LLM_BASE_URL or a chatbot's `baseUrl` (ends in /v1). */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  willAnswer(behaviour: FakeLlmBehaviour): void {
    this.behaviour = behaviour;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    if (req.method === 'POST' && req.url === '/v1/audio/transcriptions') {
      return this.transcribe(req, res, bytes);
    }
    const raw = bytes.toString('utf8');
    this.requests.push({
      path: req.url ?? '',
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as FakeLlmRequest['body']) : {},
    });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const b = this.behaviour;
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    switch (b.kind) {
      case 'hang':
        return;
      case 'redirect':
        res.writeHead(307, { location: b.location }).end();
        return;
      case 'status':
        res
          .writeHead(b.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(b.body ?? { error: { message: 'fail' } }));
        return;
      case 'json':
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: b.content },
                finish_reason: 'stop',
              },
            ],
            usage: b.totalTokens === undefined ? undefined : { total_tokens: b.totalTokens },
          }),
        );
        return;
      case 'stream': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const send = (payload: unknown): void => {
          res.write(`data: ${JSON.stringify(payload)}\n\n`);
        };
        const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
        send({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] });
        if (b.firstChunkDelayMs) await sleep(b.firstChunkDelayMs);
        for (const [i, chunk] of b.chunks.entries()) {
          if (i > 0 && b.chunkDelayMs) await sleep(b.chunkDelayMs);
          send({ choices: [{ index: 0, delta: { content: chunk } }] });
        }
        send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        if (b.usage) send({ choices: [], usage: b.usage });
        res.end('data: [DONE]\n\n');
        return;
      }
    }
  }

  /** `POST /v1/audio/transcriptions`: reads the multipart form the way the real endpoint does. */
  private async transcribe(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': req.headers['content-type'] ?? '' },
    }).formData();
    const file = form.get('file');
    const text = (name: string) => {
      const v = form.get(name);
      return typeof v === 'string' ? v : null;
    };
    this.transcriptions.push({
      authorization: req.headers.authorization,
      model: text('model'),
      language: text('language'),
      fileName: file instanceof File ? file.name : null,
      fileType: file instanceof Blob ? file.type : null,
      file: file instanceof Blob ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0),
    });
    const answer = this.transcription;
    if ('status' in answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end('{"error":{}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }
}
