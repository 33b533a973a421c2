import { createHash, createHmac, randomBytes } from 'node:crypto';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { GRAPH_API_VERSIONS, type GraphEndpoint, type MessageTemplate } from '../types';
import { metaJsonStringify } from '../webhook/meta-json';
import { signPayload } from '../webhook/signature';
import {
  type MetaWebhookPayload,
  buildInboundMessageWebhook,
  buildInboundTextWebhook,
  buildStatusWebhook,
  newWamid,
  nowSeconds,
} from './fixtures';

export type FakeScope = 'whatsapp_business_messaging' | 'whatsapp_business_management';

export interface FakeTokenSpec {
  token: string;
  /** Answers 190/463 ("Session has expired"). */
  expired?: boolean;
  /** Default: both scopes. */
  scopes?: FakeScope[];
}

export interface FakePhoneNumberSpec {
  id: string;
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating?: string;
  codeVerificationStatus?: string;
  /** Default `CONNECTED`; anything else makes sends fail with 133010. */
  status?: string;
  platformType?: string;
  throughputLevel?: string;
  nameStatus?: string;
}

export interface FakeBusinessSpec {
  wabaId: string;
  name: string;
  token?: string | FakeTokenSpec;
  tokens?: (string | FakeTokenSpec)[];
  phoneNumbers: FakePhoneNumberSpec[];
  currency?: string;
  country?: string;
  timezoneId?: string;
}

export interface FakeFailure {
  /** Graph error code of the answer. Without code and status, only `delayMs`/`drop` apply. */
  code?: number;
  subcode?: number;
  /** Without `code`, a non-Graph body (`Bad Gateway`) is sent with this status. */
  httpStatus?: number;
  delayMs?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  message?: string;
  type?: string;
  details?: string;
}

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the multipart fields (`{ fields, file }`), or the text. */
  body: unknown;
  rawBody: Buffer;
  endpoint?: GraphEndpoint;
  /** Epoch milliseconds with sub-millisecond precision. */
  receivedAt: number;
}

export interface SentMessage {
  wamid: string;
  phoneNumberId: string;
  /** The phone it was sent to (`to`), when addressed by phone. */
  to?: string;
  /** The business-scoped user id it was sent to (`recipient`), when addressed by BSUID. */
  recipient?: string;
  /** Digits of `to`; empty for a BSUID recipient. */
  waId: string;
  type: string;
  payload: Record<string, unknown>;
}

export type FakeStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface AutoStatusOptions {
  webhookUrl: string;
  appSecret: string;
  /** The app secret of a number's statuses when it differs from `appSecret` (one app per WABA). */
  appSecretFor?: (phoneNumberId: string) => string | undefined;
  /** Default `['sent', 'delivered', 'read']`. Include `failed` to end with a failure. */
  sequence?: FakeStatus[];
  /** Error code of a `failed` status. Default 131026. */
  failCode?: number;
  /** Wait before each status. Default 10 ms. */
  delayMs?: number;
  /**
   * Like Meta, deliver a status again (every 250 ms) while the webhook fails (no answer or not
   * 2xx), for up to this long. Default 0: one attempt.
   */
  redeliverForMs?: number;
}

export interface WebhookDelivery {
  url: string;
  kind: 'message' | 'status' | 'custom';
  body: string;
  status?: number;
  error?: string;
}

export interface FakeGraphApiOptions {
  appId?: string;
  appName?: string;
  /** HTTP status of code-190 answers: Meta's table says 401, generic Graph reports show 400. */
  oauthErrorStatus?: 400 | 401;
  /** Added to every answer. */
  latencyMs?: number;
  autoStatuses?: AutoStatusOptions;
}

interface TokenState {
  expired: boolean;
  scopes: Set<FakeScope>;
  wabaIds: Set<string>;
}

interface Business {
  wabaId: string;
  name: string;
  currency: string;
  country: string;
  timezoneId: string;
  phoneIds: string[];
  subscriptions: { overrideCallbackUri?: string } | undefined;
  templates: MessageTemplate[];
}

interface Media {
  id: string;
  phoneNumberId: string;
  data: Buffer;
  mimeType: string;
}

class GraphFailure {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Only the versions the client is tested against: a call with another one fails loudly. */
function isTestedVersion(version: string): boolean {
  return (GRAPH_API_VERSIONS as readonly string[]).includes(version);
}

function defaultStatus(code: number): number {
  if (code === 190 || code === 0) return 401;
  if (code === 10 || (code >= 200 && code <= 299) || [131005, 131031, 368].includes(code)) {
    return 403;
  }
  if ([3, 131000].includes(code)) return 500;
  if ([2, 131016, 133004].includes(code)) return 503;
  if (code === 132001) return 404;
  return 400;
}

function fbtrace(): string {
  return randomBytes(12).toString('base64url');
}

function parseMultipart(raw: Buffer, contentType: string) {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const fields: Record<string, string> = {};
  let file: { filename: string; contentType: string; data: Buffer } | undefined;
  if (!match) return { fields, file };
  const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      const data = part.subarray(split + 4);
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
      if (filename !== undefined) file = { filename, contentType: type.trim(), data };
      else fields[name] = data.toString('utf8');
    }
    start = next;
  }
  return { fields, file };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An in-memory WhatsApp Cloud API on 127.0.0.1 for tests, benchmarks and the demo. It records
 * every request, fails on demand, and can play Meta towards a webhook endpoint.
 */
export class FakeGraphApi {
  readonly requests: RecordedRequest[] = [];
  readonly webhookDeliveries: WebhookDelivery[] = [];
  readonly readReceipts: { phoneNumberId: string; wamid: string; typing: boolean }[] = [];
  readonly appId: string;
  readonly appName: string;
  autoStatuses: AutoStatusOptions | undefined;

  #server: http.Server | undefined;
  #baseUrl = '';
  #seq = 0;
  #stopped = false;
  readonly #tokens = new Map<string, TokenState>();
  readonly #businesses = new Map<string, Business>();
  readonly #phones = new Map<string, FakePhoneNumberSpec & { wabaId: string }>();
  readonly #media = new Map<string, Media>();
  /** Download URLs handed out and still valid: their `hash` → the media id. */
  readonly #mediaUrls = new Map<string, string>();
  readonly #sent: SentMessage[] = [];
  readonly #failures = new Map<GraphEndpoint, FakeFailure[]>();
  readonly #pending = new Set<Promise<unknown>>();
  readonly #oauthStatus: number;
  readonly #latencyMs: number;

  constructor(options: FakeGraphApiOptions = {}) {
    this.appId = options.appId ?? '1234567890123456';
    this.appName = options.appName ?? 'Conecta';
    this.#oauthStatus = options.oauthErrorStatus ?? 401;
    this.#latencyMs = options.latencyMs ?? 0;
    this.autoStatuses = options.autoStatuses;
  }

  /** Starts listening on 127.0.0.1 (a free port unless given); resolves to the base URL. */
  async start(port = 0): Promise<string> {
    if (this.#server) return this.#baseUrl;
    const server = http.createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#stopped = false;
    this.#baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#baseUrl;
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Stops the server, dropping open connections and pending webhook deliveries. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const server = this.#server;
    this.#server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await Promise.allSettled([...this.#pending]);
  }

  /** Forgets recorded requests, sent messages, deliveries and queued failures (keeps data). */
  reset(): void {
    this.requests.length = 0;
    this.webhookDeliveries.length = 0;
    this.readReceipts.length = 0;
    this.#sent.length = 0;
    this.#failures.clear();
  }

  addBusiness(spec: FakeBusinessSpec): void {
    const business: Business = {
      wabaId: spec.wabaId,
      name: spec.name,
      currency: spec.currency ?? 'USD',
      country: spec.country ?? 'ES',
      timezoneId: spec.timezoneId ?? '1',
      phoneIds: spec.phoneNumbers.map((p) => p.id),
      subscriptions: undefined,
      templates: this.#businesses.get(spec.wabaId)?.templates ?? [],
    };
    this.#businesses.set(spec.wabaId, business);
    for (const phone of spec.phoneNumbers)
      this.#phones.set(phone.id, { ...phone, wabaId: spec.wabaId });
    const tokens = [...(spec.token ? [spec.token] : []), ...(spec.tokens ?? [])];
    for (const token of tokens)
      this.addToken(typeof token === 'string' ? { token } : token, [spec.wabaId]);
  }

  /** Adds templates to a WABA (served paged by `GET /{waba-id}/message_templates`). */
  addTemplates(wabaId: string, templates: MessageTemplate[]): void {
    const business = this.#businesses.get(wabaId);
    if (!business) throw new Error(`unknown WABA ${wabaId}`);
    for (const t of templates) {
      business.templates = business.templates.filter(
        (x) => !(x.name === t.name && x.language === t.language),
      );
      business.templates.push(structuredClone(t));
    }
  }

  /** Changes a template's status as Meta's review or quality checks would. */
  setTemplateStatus(wabaId: string, name: string, language: string, status: string): void {
    const template = this.#businesses
      .get(wabaId)
      ?.templates.find((t) => t.name === name && t.language === language);
    if (template) template.status = status;
  }

  /** Adds (or extends) a token with access to the given WABAs. */
  addToken(spec: FakeTokenSpec, wabaIds: string[] = []): void {
    const state = this.#tokens.get(spec.token) ?? {
      expired: false,
      scopes: new Set<FakeScope>(['whatsapp_business_messaging', 'whatsapp_business_management']),
      wabaIds: new Set<string>(),
    };
    if (spec.expired !== undefined) state.expired = spec.expired;
    if (spec.scopes) state.scopes = new Set(spec.scopes);
    for (const id of wabaIds) state.wabaIds.add(id);
    this.#tokens.set(spec.token, state);
  }

  expireToken(token: string): void {
    const state = this.#tokens.get(token);
    if (state) state.expired = true;
  }

  setPhoneNumberStatus(phoneNumberId: string, status: string): void {
    const phone = this.#phones.get(phoneNumberId);
    if (phone) phone.status = status;
  }

  /** Stores media as if a user had sent it; returns its id. */
  addMedia(input: { phoneNumberId: string; data: Buffer; mimeType: string; id?: string }): string {
    const id = input.id ?? this.#newId();
    this.#media.set(id, {
      id,
      phoneNumberId: input.phoneNumberId,
      data: input.data,
      mimeType: input.mimeType,
    });
    return id;
  }

  /** A stored media file (sent by a user or uploaded), or undefined once forgotten. */
  media(id: string): { data: Buffer; mimeType: string; phoneNumberId: string } | undefined {
    const m = this.#media.get(id);
    return m ? { data: m.data, mimeType: m.mimeType, phoneNumberId: m.phoneNumberId } : undefined;
  }

  /** Every download URL handed out so far stops working (Meta's URLs last 5 minutes). */
  expireMediaUrls(): void {
    this.#mediaUrls.clear();
  }

  /**
   * Meta forgets the media id (about 7 days after a user sent it): `GET /{media-id}` answers
   * error 100/33 and its URLs 404.
   */
  forgetMedia(id: string): void {
    this.#media.delete(id);
    for (const [hash, mediaId] of this.#mediaUrls) if (mediaId === id) this.#mediaUrls.delete(hash);
  }

  /** The next `count` calls of `endpoint` fail as described. */
  failNext(endpoint: GraphEndpoint, count: number, failure: FakeFailure): void {
    const queue = this.#failures.get(endpoint) ?? [];
    for (let i = 0; i < count; i++) queue.push(failure);
    this.#failures.set(endpoint, queue);
  }

  /** Everything accepted by `POST /{phone-number-id}/messages`, in order. */
  sentMessages(): SentMessage[] {
    return [...this.#sent];
  }

  requestsTo(endpoint: GraphEndpoint): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  /** Waits until every webhook the fake is sending has been delivered (or failed). */
  async flushWebhooks(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /** Posts a Meta-shaped, Meta-escaped, signed inbound text webhook to `webhookUrl`. */
  async sendInboundMessage(input: {
    webhookUrl: string;
    appSecret: string;
    phoneNumberId: string;
    from: string;
    text: string;
    contactName?: string;
    wamid?: string;
    replyTo?: string;
    /** Meta's `timestamp` (unix seconds); default now. */
    timestamp?: string;
  }): Promise<{ status: number; wamid: string; body: string }> {
    const phone = this.#phones.get(input.phoneNumberId);
    const wamid = input.wamid ?? newWamid();
    const payload = buildInboundTextWebhook({
      wabaId: phone?.wabaId ?? '0',
      phoneNumberId: input.phoneNumberId,
      displayPhoneNumber: phone?.displayPhoneNumber.replace(/\D/g, ''),
      from: input.from,
      text: input.text,
      contactName: input.contactName,
      wamid,
      replyTo: input.replyTo,
      timestamp: input.timestamp,
    });
    const result = await this.sendWebhook({ ...input, payload }, 'message');
    return { ...result, wamid };
  }

  /**
   * A user sends a file: it is stored here (downloadable by its media id, as at Meta) and its
   * webhook is posted.
   */
  async sendInboundMedia(input: {
    webhookUrl: string;
    appSecret: string;
    phoneNumberId: string;
    from: string;
    type: 'image' | 'audio' | 'video' | 'document' | 'sticker';
    data: Buffer;
    mimeType: string;
    caption?: string;
    filename?: string;
    voice?: boolean;
    contactName?: string;
  }): Promise<{ status: number; wamid: string; mediaId: string }> {
    const phone = this.#phones.get(input.phoneNumberId);
    const mediaId = this.addMedia({
      phoneNumberId: input.phoneNumberId,
      data: input.data,
      mimeType: input.mimeType,
    });
    const wamid = newWamid();
    const payload = buildInboundMessageWebhook(
      {
        wabaId: phone?.wabaId ?? '0',
        phoneNumberId: input.phoneNumberId,
        displayPhoneNumber: phone?.displayPhoneNumber.replace(/\D/g, ''),
        from: input.from,
        contactName: input.contactName,
        wamid,
      },
      {
        type: input.type,
        [input.type]: {
          id: mediaId,
          mime_type: input.mimeType,
          sha256: createHash('sha256').update(input.data).digest('base64'),
          ...(input.caption ? { caption: input.caption } : {}),
          ...(input.filename ? { filename: input.filename } : {}),
          ...(input.voice ? { voice: true } : {}),
        },
      },
    );
    const result = await this.sendWebhook({ ...input, payload }, 'message');
    return { status: result.status, wamid, mediaId };
  }

  /** Posts any payload as Meta would: escaped JSON, `X-Hub-Signature-256`, no retries. */
  async sendWebhook(
    input: {
      webhookUrl: string;
      appSecret: string;
      payload: MetaWebhookPayload | Record<string, unknown>;
    },
    kind: WebhookDelivery['kind'] = 'custom',
  ): Promise<{ status: number; body: string }> {
    const body = metaJsonStringify(input.payload);
    const delivery: WebhookDelivery = { url: input.webhookUrl, kind, body };
    this.webhookDeliveries.push(delivery);
    const promise = this.#post(input.webhookUrl, body, input.appSecret);
    this.#pending.add(promise);
    try {
      const result = await promise;
      delivery.status = result.status;
      return result;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.#pending.delete(promise);
    }
  }

  // ------------------------------------------------------------------------------------------

  #newId(): string {
    return String(1_000_000_000_000_000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
  }

  #post(url: string, body: string, appSecret: string): Promise<{ status: number; body: string }> {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const raw = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = transport.request(
        target,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': raw.length,
            'user-agent': 'facebookexternalua',
            'x-hub-signature': `sha1=${createHmac('sha1', appSecret).update(raw).digest('hex')}`,
            'x-hub-signature-256': signPayload(raw, appSecret),
          },
          timeout: 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('webhook delivery timed out')));
      req.on('error', reject);
      req.end(raw);
    });
  }

  #scheduleStatuses(message: SentMessage, pricingCategory: string): void {
    const options = this.autoStatuses;
    if (!options) return;
    const phone = this.#phones.get(message.phoneNumberId);
    const run = async () => {
      const sequence = options.sequence ?? ['sent', 'delivered', 'read'];
      for (const [i, status] of sequence.entries()) {
        await sleep(options.delayMs ?? 10);
        if (this.#stopped) return;
        const payload = buildStatusWebhook({
          wabaId: phone?.wabaId ?? '0',
          phoneNumberId: message.phoneNumberId,
          displayPhoneNumber: phone?.displayPhoneNumber.replace(/\D/g, ''),
          wamid: message.wamid,
          status,
          // Meta echoes the send's tag in every status of it.
          ...(typeof message.payload.biz_opaque_callback_data === 'string'
            ? { bizOpaqueCallbackData: message.payload.biz_opaque_callback_data }
            : {}),
          ...(message.waId ? { recipientId: message.waId } : {}),
          ...(message.recipient ? { recipientUserId: message.recipient } : {}),
          timestamp: nowSeconds(),
          pricing:
            i === 0 && status !== 'failed'
              ? {
                  billable: pricingCategory !== 'service',
                  pricing_model: 'PMP',
                  type: pricingCategory === 'service' ? 'free_customer_service' : 'regular',
                  category: pricingCategory,
                }
              : undefined,
          errors:
            status === 'failed'
              ? [{ code: options.failCode ?? 131026, title: 'Message undeliverable' }]
              : undefined,
        });
        const giveUpAt = Date.now() + (options.redeliverForMs ?? 0);
        for (;;) {
          const delivered = await this.sendWebhook(
            {
              webhookUrl: options.webhookUrl,
              appSecret: options.appSecretFor?.(message.phoneNumberId) ?? options.appSecret,
              payload,
            },
            'status',
          ).then(
            (res) => res.status >= 200 && res.status < 300,
            // Recorded in webhookDeliveries.
            () => false,
          );
          if (delivered || this.#stopped || Date.now() >= giveUpAt) break;
          await sleep(250);
        }
      }
    };
    const promise = run();
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }

  async #readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  #endpointOf(method: string, segments: string[]): GraphEndpoint | undefined {
    const [id, edge] = segments;
    if (segments.length === 1 && id) {
      if (this.#businesses.has(id)) return 'business_account';
      if (this.#media.has(id)) return 'media';
      return 'phone_number';
    }
    if (segments.length === 2) {
      if (edge === 'phone_numbers') return 'phone_numbers';
      if (edge === 'subscribed_apps') return 'subscribed_apps';
      if (edge === 'message_templates') return 'message_templates';
      if (edge === 'messages') return 'messages';
      if (edge === 'media' && method === 'POST') return 'media';
    }
    return undefined;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.timeOrigin + performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = await this.#readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    let body: unknown = rawBody.length > 0 ? rawBody.toString('utf8') : undefined;
    if (contentType.includes('application/json')) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        // keep the text
      }
    } else if (contentType.includes('multipart/form-data')) {
      body = parseMultipart(rawBody, contentType);
    }
    const isDownload = url.pathname === '/whatsapp_business/attachments/';
    const [version, ...segments] = url.pathname.split('/').filter(Boolean);
    const endpoint = isDownload
      ? 'media_download'
      : this.#endpointOf(req.method ?? 'GET', segments);
    this.requests.push({
      seq: ++this.#seq,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      rawBody,
      endpoint,
      receivedAt,
    });
    if (this.#latencyMs > 0) await sleep(this.#latencyMs);

    const failure = endpoint ? this.#failures.get(endpoint)?.shift() : undefined;
    if (failure) {
      if (failure.delayMs) await sleep(failure.delayMs);
      if (failure.drop) {
        req.socket.destroy();
        return;
      }
      if (failure.code !== undefined) {
        return this.#sendError(res, this.#failureError({ ...failure, code: failure.code }));
      }
      if (failure.httpStatus !== undefined) {
        res.writeHead(failure.httpStatus, { 'content-type': 'text/plain' });
        res.end(failure.message ?? 'Bad Gateway');
        return;
      }
    }

    try {
      if (isDownload) return this.#download(req, url, res);
      if (!version || !isTestedVersion(version) || !endpoint) {
        throw new GraphFailure(400, {
          message: 'Unknown path components',
          type: 'OAuthException',
          code: 2500,
        });
      }
      const token = this.#authenticate(req, url);
      const result = await this.#route(endpoint, req.method ?? 'GET', segments, url, body, token);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    } catch (error) {
      if (error instanceof GraphFailure) return this.#sendError(res, error);
      throw error;
    }
  }

  #failureError(failure: FakeFailure & { code: number }): GraphFailure {
    const code = failure.code;
    const error: Record<string, unknown> = {
      message: failure.message ?? `(#${code}) Simulated failure`,
      type: failure.type ?? 'OAuthException',
      code,
    };
    if (failure.subcode !== undefined) error.error_subcode = failure.subcode;
    if (failure.details !== undefined || code >= 130000) {
      error.error_data = {
        messaging_product: 'whatsapp',
        details: failure.details ?? `Simulated failure ${code}`,
      };
    }
    return new GraphFailure(failure.httpStatus ?? defaultStatus(code), error);
  }

  #sendError(res: ServerResponse, failure: GraphFailure): void {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...failure.headers,
    };
    const message = String(failure.error.message ?? '');
    if (failure.error.code === 190) {
      headers['www-authenticate'] = `OAuth "Facebook Platform" "invalid_token" "${message}"`;
    }
    res.writeHead(failure.status, headers);
    res.end(JSON.stringify({ error: { ...failure.error, fbtrace_id: fbtrace() } }));
  }

  #oauth(message: string, subcode?: number): GraphFailure {
    return new GraphFailure(this.#oauthStatus, {
      message,
      type: 'OAuthException',
      code: 190,
      ...(subcode !== undefined ? { error_subcode: subcode } : {}),
    });
  }

  #authenticate(req: IncomingMessage, url: URL): TokenState {
    const header = req.headers.authorization ?? '';
    const token =
      /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? url.searchParams.get('access_token') ?? '';
    const state = this.#tokens.get(token);
    if (!state) throw this.#oauth('Invalid OAuth access token - Cannot parse access token');
    if (state.expired) {
      throw this.#oauth(
        'Error validating access token: Session has expired on Friday, 01-Jan-27 00:00:00 PST.',
        463,
      );
    }
    return state;
  }

  #missing(id: string): GraphFailure {
    return new GraphFailure(400, {
      message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
    });
  }

  #requireScope(token: TokenState, scope: FakeScope): void {
    if (token.scopes.has(scope)) return;
    if (scope === 'whatsapp_business_management') {
      throw new GraphFailure(403, {
        message: '(#200) Requires whatsapp_business_management permission to manage the object',
        type: 'OAuthException',
        code: 200,
      });
    }
    throw new GraphFailure(403, {
      message: '(#10) Application does not have permission for this action',
      type: 'OAuthException',
      code: 10,
    });
  }

  #business(id: string, token: TokenState): Business {
    const business = this.#businesses.get(id);
    if (!business || !token.wabaIds.has(id)) throw this.#missing(id);
    return business;
  }

  #phone(id: string, token: TokenState): FakePhoneNumberSpec & { wabaId: string } {
    const phone = this.#phones.get(id);
    if (!phone || !token.wabaIds.has(phone.wabaId)) throw this.#missing(id);
    return phone;
  }

  #phoneFields(phone: FakePhoneNumberSpec, fields: string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {
      id: phone.id,
      display_phone_number: phone.displayPhoneNumber,
      verified_name: phone.verifiedName,
      code_verification_status: phone.codeVerificationStatus ?? 'VERIFIED',
      quality_rating: phone.qualityRating ?? 'GREEN',
      status: phone.status ?? 'CONNECTED',
      platform_type: phone.platformType ?? 'CLOUD_API',
      throughput: { level: phone.throughputLevel ?? 'STANDARD' },
      name_status: phone.nameStatus ?? 'APPROVED',
      whatsapp_business_manager_messaging_limit: 'TIER_250',
      account_mode: 'LIVE',
      webhook_configuration: { application: 'https://example.invalid/webhooks/whatsapp' },
    };
    return this.#pick(all, fields, 'WhatsAppBusinessPhoneNumber');
  }

  #pick(all: Record<string, unknown>, fields: string[], node: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (!(field in all)) {
        throw new GraphFailure(400, {
          message: `(#100) Tried accessing nonexisting field (${field}) on node type (${node})`,
          type: 'OAuthException',
          code: 100,
        });
      }
      out[field] = all[field];
    }
    return out;
  }

  #fields(url: URL, defaults: string[]): string[] {
    const raw = url.searchParams.get('fields');
    return raw
      ? raw
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : defaults;
  }

  async #route(
    endpoint: GraphEndpoint,
    method: string,
    segments: string[],
    url: URL,
    body: unknown,
    token: TokenState,
  ): Promise<unknown> {
    const id = segments[0] ?? '';
    switch (endpoint) {
      case 'phone_number': {
        const phone = this.#phone(id, token);
        return this.#phoneFields(
          phone,
          this.#fields(url, [
            'id',
            'display_phone_number',
            'verified_name',
            'quality_rating',
            'code_verification_status',
          ]),
        );
      }
      case 'business_account': {
        const b = this.#business(id, token);
        this.#requireScope(token, 'whatsapp_business_management');
        const all = {
          id: b.wabaId,
          name: b.name,
          status: 'ACTIVE',
          currency: b.currency,
          country: b.country,
          timezone_id: b.timezoneId,
          message_template_namespace: `ns_${b.wabaId}`,
          business_verification_status: 'verified',
          account_review_status: 'APPROVED',
          ownership_type: 'CLIENT_OWNED',
        };
        return this.#pick(
          all,
          this.#fields(url, ['id', 'name', 'timezone_id', 'message_template_namespace']),
          'WhatsAppBusinessAccount',
        );
      }
      case 'phone_numbers': {
        const b = this.#business(id, token);
        this.#requireScope(token, 'whatsapp_business_management');
        const fields = this.#fields(url, [
          'id',
          'display_phone_number',
          'verified_name',
          'quality_rating',
        ]);
        return this.#page(url, b.phoneIds, (pid) => {
          const phone = this.#phones.get(pid);
          return phone ? [this.#phoneFields(phone, fields)] : [];
        });
      }
      case 'message_templates': {
        const b = this.#business(id, token);
        this.#requireScope(token, 'whatsapp_business_management');
        return this.#page(url, b.templates, (t) => [
          {
            id: t.id,
            name: t.name,
            language: t.language,
            category: t.category,
            status: t.status,
            parameter_format: t.parameterFormat ?? 'POSITIONAL',
            components: t.components,
            quality_score: { score: t.qualityScore ?? 'UNKNOWN' },
            rejected_reason: t.rejectedReason ?? 'NONE',
          },
        ]);
      }
      case 'subscribed_apps': {
        const b = this.#business(id, token);
        this.#requireScope(token, 'whatsapp_business_management');
        if (method === 'GET') {
          return {
            data: b.subscriptions
              ? [
                  {
                    whatsapp_business_api_data: {
                      id: this.appId,
                      link: `https://www.facebook.com/games/?app_id=${this.appId}`,
                      name: this.appName,
                    },
                    ...(b.subscriptions.overrideCallbackUri
                      ? { override_callback_uri: b.subscriptions.overrideCallbackUri }
                      : {}),
                  },
                ]
              : [],
          };
        }
        if (method === 'POST') {
          const override =
            typeof body === 'object' && body !== null && 'override_callback_uri' in body
              ? String((body as Record<string, unknown>).override_callback_uri)
              : undefined;
          b.subscriptions = override ? { overrideCallbackUri: override } : {};
          return { success: true };
        }
        if (method === 'DELETE') {
          b.subscriptions = undefined;
          return { success: true };
        }
        throw this.#missing(id);
      }
      case 'messages':
        return this.#messages(this.#phone(id, token), token, body);
      case 'media': {
        if (method === 'POST') return this.#upload(this.#phone(id, token), token, body);
        const media = this.#media.get(id);
        const phone = media ? this.#phones.get(media.phoneNumberId) : undefined;
        if (!media || !phone || !token.wabaIds.has(phone.wabaId)) throw this.#missing(id);
        const guard = url.searchParams.get('phone_number_id');
        if (guard && guard !== media.phoneNumberId) throw this.#missing(id);
        const hash = fbtrace();
        this.#mediaUrls.set(hash, media.id);
        return {
          messaging_product: 'whatsapp',
          url: `${this.#baseUrl}/whatsapp_business/attachments/?mid=${media.id}&ext=${Date.now()}&hash=${hash}`,
          mime_type: media.mimeType,
          sha256: createHash('sha256').update(media.data).digest('hex'),
          file_size: String(media.data.length),
          id: media.id,
        };
      }
      default:
        throw this.#missing(id);
    }
  }

  /** One page of `items` by Meta's cursor paging (`limit`, `after`, `paging.next`). */
  #page<T>(url: URL, items: readonly T[], render: (item: T) => unknown[]) {
    const limit = Math.max(1, Number(url.searchParams.get('limit') ?? 25) || 25);
    const after = url.searchParams.get('after');
    const startAt = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) || 0 : 0;
    const page = items.slice(startAt, startAt + limit);
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    const hasMore = startAt + limit < items.length;
    return {
      data: page.flatMap(render),
      paging: {
        cursors: { before: cursor(startAt), after: cursor(startAt + page.length) },
        // Like Meta, the next link carries the token in clear.
        ...(hasMore
          ? {
              next: `${this.#baseUrl}${url.pathname}?access_token=SECRET&after=${cursor(startAt + page.length)}`,
            }
          : {}),
      },
    };
  }

  /** Meta's checks of a template send: exists and approved, not paused or disabled, slot counts. */
  #checkTemplate(wabaId: string, payload: Record<string, unknown>): MessageTemplate {
    const content = (payload.template ?? {}) as {
      name?: string;
      language?: { code?: string };
      components?: { type?: string; index?: string; parameters?: unknown[] }[];
    };
    const fail = (code: number, message: string) =>
      new GraphFailure(code === 132001 ? 404 : 400, {
        message: `(#${code}) ${message}`,
        type: 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details: message },
      });
    const template = this.#businesses
      .get(wabaId)
      ?.templates.find((t) => t.name === content.name && t.language === content.language?.code);
    if (!template || ['PENDING', 'REJECTED', 'ARCHIVED', 'IN_APPEAL'].includes(template.status)) {
      throw fail(132001, `template name (${content.name}) does not exist in the translation`);
    }
    if (template.status === 'PAUSED') throw fail(132015, 'Template is paused');
    if (template.status === 'DISABLED') throw fail(132016, 'Template has been disabled');
    const slotsIn = (text: string | undefined) =>
      new Set([...(text ?? '').matchAll(/\{\{\s*([\w]+)\s*\}\}/g)].map((m) => m[1])).size;
    const given = (type: string, index?: string) =>
      (content.components ?? []).find(
        (c) => c.type === type && (index === undefined || c.index === index),
      )?.parameters?.length ?? 0;
    for (const component of template.components) {
      if (component.type === 'HEADER') {
        const expected =
          component.format === 'TEXT' || !component.format ? slotsIn(component.text) : 1;
        if (component.format !== 'LOCATION' && given('header') !== expected) {
          throw fail(
            132000,
            `Number of parameters does not match the expected number of params (header: ${expected})`,
          );
        }
      } else if (component.type === 'BODY' && given('body') !== slotsIn(component.text)) {
        throw fail(
          132000,
          `Number of parameters does not match the expected number of params (body: ${slotsIn(component.text)})`,
        );
      } else if (component.type === 'BUTTONS') {
        for (const [i, button] of (component.buttons ?? []).entries()) {
          const expected = button.type === 'URL' ? slotsIn(button.url) : 0;
          if (expected > 0 && given('button', String(i)) !== expected) {
            throw fail(
              132000,
              `Number of parameters does not match the expected number of params (button ${i})`,
            );
          }
        }
      }
    }
    return template;
  }

  #invalidParam(message: string): GraphFailure {
    return new GraphFailure(400, {
      message: `(#100) ${message}`,
      type: 'OAuthException',
      code: 100,
    });
  }

  #messages(phone: FakePhoneNumberSpec & { wabaId: string }, token: TokenState, body: unknown) {
    this.#requireScope(token, 'whatsapp_business_messaging');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw this.#invalidParam('Invalid parameter');
    }
    const payload = body as Record<string, unknown>;
    if (payload.messaging_product !== 'whatsapp') {
      throw this.#invalidParam('The parameter messaging_product is required.');
    }
    if (payload.status === 'read') {
      if (typeof payload.message_id !== 'string') {
        throw this.#invalidParam('The parameter message_id is required.');
      }
      this.readReceipts.push({
        phoneNumberId: phone.id,
        wamid: payload.message_id,
        typing: typeof payload.typing_indicator === 'object' && payload.typing_indicator !== null,
      });
      return { success: true };
    }
    const to = typeof payload.to === 'string' && payload.to.trim() !== '' ? payload.to : undefined;
    const recipient =
      typeof payload.recipient === 'string' && payload.recipient.trim() !== ''
        ? payload.recipient
        : undefined;
    if (!to && !recipient) throw this.#invalidParam('The parameter to is required.');
    // A BSUID belongs in `recipient`; Meta does not deliver one put in `to`.
    if (to && /[A-Za-z]/.test(to)) {
      throw new GraphFailure(400, {
        message: '(#131009) Parameter value is not valid',
        type: 'OAuthException',
        code: 131009,
        error_data: { messaging_product: 'whatsapp', details: 'to must be a phone number' },
      });
    }
    const type = typeof payload.type === 'string' ? payload.type : 'text';
    if (typeof payload[type] !== 'object' || payload[type] === null) {
      throw this.#invalidParam(`Param ${type} is required`);
    }
    if ((phone.status ?? 'CONNECTED') !== 'CONNECTED') {
      throw new GraphFailure(400, {
        message: '(#133010) Account not registered',
        type: 'OAuthException',
        code: 133010,
        error_data: { messaging_product: 'whatsapp', details: 'Account not registered' },
      });
    }
    const template = type === 'template' ? this.#checkTemplate(phone.wabaId, payload) : undefined;
    const wamid = newWamid();
    const waId = to ? to.replace(/\D/g, '') : '';
    const sent: SentMessage = {
      wamid,
      phoneNumberId: phone.id,
      ...(to ? { to } : { recipient }),
      waId,
      type,
      payload,
    };
    this.#sent.push(sent);
    this.#scheduleStatuses(sent, template ? template.category.toLowerCase() : 'service');
    return {
      messaging_product: 'whatsapp',
      contacts: [to ? { input: to, wa_id: waId } : { user_id: recipient }],
      messages: [{ id: wamid }],
    };
  }

  #upload(phone: FakePhoneNumberSpec, token: TokenState, body: unknown) {
    this.#requireScope(token, 'whatsapp_business_messaging');
    const form = body as ReturnType<typeof parseMultipart> | undefined;
    if (!form || typeof form !== 'object' || !('fields' in form)) {
      throw this.#invalidParam('The parameter file is required.');
    }
    if (form.fields.messaging_product !== 'whatsapp') {
      throw this.#invalidParam('The parameter messaging_product is required.');
    }
    if (!form.file) throw this.#invalidParam('The parameter file is required.');
    const id = this.addMedia({
      phoneNumberId: phone.id,
      data: form.file.data,
      mimeType: form.fields.type ?? form.file.contentType,
    });
    return { id };
  }

  #download(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const state = this.#tokens.get(token);
    if (!state || state.expired) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
      return;
    }
    const mid = url.searchParams.get('mid') ?? '';
    const media = this.#media.get(mid);
    if (!media || this.#mediaUrls.get(url.searchParams.get('hash') ?? '') !== mid) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': media.mimeType, 'content-length': media.data.length });
    res.end(media.data);
  }
}
