import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { GraphApiError, classifyGraphError, isCallerScheduledRetry } from './errors';
import { buildMultipart } from './multipart';
import { addressOf, validateOutboundMessage } from './outbound';
import { redactSecrets } from './redact';
import {
  type RetryClock,
  type RetryPolicy,
  SYSTEM_CLOCK,
  computeBackoffDelay,
  resolveRetryPolicy,
} from './retry';
import {
  DEFAULT_GRAPH_API_VERSION,
  type MessageRecipient,
  type BusinessAccountDetails,
  type BusinessAccountField,
  DEFAULT_BUSINESS_ACCOUNT_FIELDS,
  DEFAULT_PHONE_NUMBER_FIELDS,
  type DownloadedMedia,
  type GraphEndpoint,
  type MediaUrl,
  type MessageTemplate,
  type MessageTemplatePage,
  type TemplateComponentDefinition,
  type OutboundContent,
  type OutboundMessage,
  type PhoneNumberDetails,
  type PhoneNumberField,
  type PhoneNumberPage,
  type SendMessageResult,
  type SubscribedApp,
  type UploadMediaInput,
  type WebhookOverride,
} from './types';

/** One attempt of one Graph call, reported to `onRequest` (for metrics). Never holds the token. */
export interface GraphRequestEvent {
  endpoint: GraphEndpoint;
  method: string;
  status: number | 'network';
  durationMs: number;
  attempt: number;
  errorCode?: number;
}

export interface WhatsAppGraphClientOptions {
  accessToken: string;
  /** Default `https://graph.facebook.com`. */
  baseUrl?: string;
  /** Default {@link DEFAULT_GRAPH_API_VERSION}. */
  apiVersion?: string;
  /** Per-attempt timeout of JSON calls. Default 15 s. */
  timeoutMs?: number;
  /** Per-attempt timeout of media upload and download. Default 60 s. */
  mediaTimeoutMs?: number;
  /** Largest media download accepted. Default 100 MB (Meta's document limit). */
  maxMediaBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** The HTTP transport. Default: one axios instance shared by every client (it holds no token). */
  transport?: AxiosInstance;
  onRequest?: (event: GraphRequestEvent) => void;
  /**
   * Hosts (suffix match) that may receive the token when downloading media. The base URL's host is
   * always trusted. Default: Meta's `fbsbx.com`, `facebook.com`, `whatsapp.net`.
   */
  trustedMediaHosts?: string[];
  /** Random source for backoff jitter (tests). */
  random?: () => number;
  /** Time source for the retry deadline and backoff waits. Default: wall clock and real timers. */
  clock?: RetryClock;
}

export interface SendTextOptions {
  previewUrl?: boolean;
  /** wamid of the message being answered (quoted reply). */
  replyTo?: string;
  bizOpaqueCallbackData?: string;
}

type HttpMethod = 'GET' | 'POST' | 'DELETE';

interface CallSpec<T> {
  endpoint: GraphEndpoint;
  method: HttpMethod;
  /** Path below the version (`/123/messages`) or an absolute URL. */
  path: string;
  query?: Record<string, string | undefined>;
  json?: unknown;
  body?: { data: Buffer; contentType: string };
  media?: boolean;
  /** False for sends: a request that may have reached Meta is not repeated automatically. */
  idempotent: boolean;
  parse: (response: { body: Buffer; contentType: string }) => T;
}

const DEFAULT_TRUSTED_MEDIA_HOSTS = ['fbsbx.com', 'facebook.com', 'whatsapp.net'];
/** Network errors raised before any byte reached the server: always safe to repeat. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * The transport of clients given none. Shared: an axios instance costs more to build than a call,
 * and a client is built per use (one per token); the token travels in each request's headers only.
 */
let sharedTransport: AxiosInstance | undefined;
const defaultTransport = (): AxiosInstance => (sharedTransport ??= axios.create());
/**
 * The body is sent as we serialized it and handed back as the bytes received: axios's own
 * transforms would parse our JSON again before sending it, and parse the answer as text.
 */
const AS_IS = [<T>(data: T): T => data];
const ANY_STATUS = (): boolean => true;

/**
 * Whether a failed call may still have been carried out by Meta: no answer came back (a timeout
 * or a reset after the request was written), so a send may have reached the customer.
 */
export function mayHaveReachedMeta(error: GraphApiError): boolean {
  return (
    error.attempts > 0 &&
    error.httpStatus === undefined &&
    !NOT_SENT_CODES.has(error.networkCode ?? '')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function headerString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function toBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data === undefined || data === null) return Buffer.alloc(0);
  return Buffer.from(JSON.stringify(data), 'utf8');
}

/** The `after` cursor of a paged answer, when there is a next page. */
function nextCursorOf(raw: Record<string, unknown>): string | undefined {
  // paging.next carries the token in its query string: keep only the cursor.
  const paging = isRecord(raw.paging) ? raw.paging : {};
  const cursors = isRecord(paging.cursors) ? paging.cursors : {};
  return typeof paging.next === 'string' ? str(cursors.after) : undefined;
}

function parseTemplate(raw: Record<string, unknown>): MessageTemplate | undefined {
  const id = str(raw.id);
  const name = str(raw.name);
  const language = str(raw.language);
  if (!id || !name || !language) return undefined;
  const components = Array.isArray(raw.components)
    ? raw.components.filter(isRecord).map(
        (c) =>
          compact({
            type: str(c.type) ?? 'UNKNOWN',
            format: str(c.format),
            text: str(c.text),
            buttons: Array.isArray(c.buttons)
              ? c.buttons.filter(isRecord).map((b) =>
                  compact({
                    type: str(b.type) ?? 'UNKNOWN',
                    text: str(b.text),
                    url: str(b.url),
                    phone_number: str(b.phone_number),
                  }),
                )
              : undefined,
            example: isRecord(c.example) ? c.example : undefined,
          }) as TemplateComponentDefinition,
      )
    : [];
  const quality = isRecord(raw.quality_score) ? str(raw.quality_score.score) : undefined;
  const rejected = str(raw.rejected_reason);
  return compact({
    id,
    name,
    language,
    category: str(raw.category) ?? 'UNKNOWN',
    status: str(raw.status) ?? 'UNKNOWN',
    parameterFormat: str(raw.parameter_format),
    components,
    qualityScore: quality,
    rejectedReason: rejected && rejected !== 'NONE' ? rejected : undefined,
  });
}

function parsePhoneNumber(raw: Record<string, unknown>): PhoneNumberDetails {
  const id = str(raw.id);
  if (!id) throw new TypeError('phone number without id');
  const throughput = isRecord(raw.throughput) ? str(raw.throughput.level) : undefined;
  const hooks = isRecord(raw.webhook_configuration) ? raw.webhook_configuration : undefined;
  return compact({
    id,
    displayPhoneNumber: str(raw.display_phone_number),
    verifiedName: str(raw.verified_name),
    codeVerificationStatus: str(raw.code_verification_status),
    qualityRating: str(raw.quality_rating),
    status: str(raw.status),
    platformType: str(raw.platform_type),
    throughputLevel: throughput,
    nameStatus: str(raw.name_status),
    messagingLimitTier: str(raw.whatsapp_business_manager_messaging_limit),
    accountMode: str(raw.account_mode),
    webhookConfiguration: hooks
      ? compact({
          phoneNumber: str(hooks.phone_number),
          whatsappBusinessAccount: str(hooks.whatsapp_business_account),
          application: str(hooks.application),
        })
      : undefined,
  });
}

/**
 * Typed client for the WhatsApp Cloud API, one per access token. Every method throws
 * {@link GraphApiError} (and only that) on failure.
 */
export class WhatsAppGraphClient {
  readonly baseUrl: string;
  readonly apiVersion: string;
  readonly #token: string;
  readonly #transport: AxiosInstance;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #mediaTimeoutMs: number;
  readonly #maxMediaBytes: number;
  readonly #trustedHosts: string[];
  readonly #onRequest?: (event: GraphRequestEvent) => void;
  readonly #random: () => number;
  readonly #clock: RetryClock;

  constructor(options: WhatsAppGraphClientOptions) {
    if (typeof options.accessToken !== 'string' || options.accessToken.trim() === '') {
      throw new TypeError('accessToken is required');
    }
    const baseUrl = new URL(options.baseUrl ?? 'https://graph.facebook.com');
    if (baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') {
      throw new TypeError('baseUrl must be an http(s) URL');
    }
    const apiVersion = options.apiVersion ?? DEFAULT_GRAPH_API_VERSION;
    if (!/^v\d+\.\d+$/.test(apiVersion)) throw new TypeError('apiVersion must look like v24.0');
    this.baseUrl = baseUrl.origin + baseUrl.pathname.replace(/\/+$/, '');
    this.apiVersion = apiVersion;
    this.#token = options.accessToken;
    this.#transport = options.transport ?? defaultTransport();
    this.#retry = resolveRetryPolicy(options.retry);
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#mediaTimeoutMs = options.mediaTimeoutMs ?? 60_000;
    this.#maxMediaBytes = options.maxMediaBytes ?? 100 * 1024 * 1024;
    this.#trustedHosts = [
      ...(options.trustedMediaHosts ?? DEFAULT_TRUSTED_MEDIA_HOSTS),
      baseUrl.hostname,
    ].map((h) => h.toLowerCase());
    this.#onRequest = options.onRequest;
    this.#random = options.random ?? Math.random;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** `GET /{phone-number-id}`: the details used by "Test connection". */
  async getPhoneNumber(
    phoneNumberId: string,
    fields: readonly PhoneNumberField[] = DEFAULT_PHONE_NUMBER_FIELDS,
  ): Promise<PhoneNumberDetails> {
    return this.#call({
      endpoint: 'phone_number',
      method: 'GET',
      path: `/${this.#id('phone_number', phoneNumberId)}`,
      query: { fields: fields.join(',') },
      idempotent: true,
      parse: (res) => parsePhoneNumber(this.#json(res)),
    });
  }

  /** `GET /{waba-id}`. Counts against the per-WABA management budget: do not poll. */
  async getBusinessAccount(
    wabaId: string,
    fields: readonly BusinessAccountField[] = DEFAULT_BUSINESS_ACCOUNT_FIELDS,
  ): Promise<BusinessAccountDetails> {
    return this.#call({
      endpoint: 'business_account',
      method: 'GET',
      path: `/${this.#id('business_account', wabaId)}`,
      query: { fields: fields.join(',') },
      idempotent: true,
      parse: (res) => {
        const raw = this.#json(res);
        const id = str(raw.id);
        if (!id) throw new TypeError('business account without id');
        return compact({
          id,
          name: str(raw.name),
          status: str(raw.status),
          currency: str(raw.currency),
          country: str(raw.country),
          timezoneId: str(raw.timezone_id),
          messageTemplateNamespace: str(raw.message_template_namespace),
          businessVerificationStatus: str(raw.business_verification_status),
          accountReviewStatus: str(raw.account_review_status),
          ownershipType: str(raw.ownership_type),
        });
      },
    });
  }

  /** `GET /{waba-id}/phone_numbers`: one page; follow `nextCursor` with `after`. */
  async listPhoneNumbers(
    wabaId: string,
    options: { fields?: readonly PhoneNumberField[]; limit?: number; after?: string } = {},
  ): Promise<PhoneNumberPage> {
    const fields = options.fields ?? [
      'id',
      'display_phone_number',
      'verified_name',
      'quality_rating',
    ];
    return this.#call({
      endpoint: 'phone_numbers',
      method: 'GET',
      path: `/${this.#id('phone_numbers', wabaId)}/phone_numbers`,
      query: {
        fields: fields.join(','),
        limit: options.limit !== undefined ? String(options.limit) : undefined,
        after: options.after,
      },
      idempotent: true,
      parse: (res) => {
        const raw = this.#json(res);
        if (!Array.isArray(raw.data)) throw new TypeError('phone_numbers without data');
        const data = raw.data.filter(isRecord).map(parsePhoneNumber);
        return compact({ data, nextCursor: nextCursorOf(raw) });
      },
    });
  }

  /** `GET /{waba-id}/message_templates`: one page; follow `nextCursor` with `after`. */
  async listMessageTemplates(
    wabaId: string,
    options: { limit?: number; after?: string } = {},
  ): Promise<MessageTemplatePage> {
    return this.#call({
      endpoint: 'message_templates',
      method: 'GET',
      path: `/${this.#id('message_templates', wabaId)}/message_templates`,
      query: {
        fields:
          'id,name,language,category,status,parameter_format,components,quality_score,rejected_reason',
        limit: options.limit !== undefined ? String(options.limit) : undefined,
        after: options.after,
      },
      idempotent: true,
      parse: (res) => {
        const raw = this.#json(res);
        if (!Array.isArray(raw.data)) throw new TypeError('message_templates without data');
        const data = raw.data.filter(isRecord).flatMap((t) => {
          const template = parseTemplate(t);
          return template ? [template] : [];
        });
        return compact({ data, nextCursor: nextCursorOf(raw) });
      },
    });
  }

  /** `GET /{waba-id}/subscribed_apps`: the apps that receive this WABA's webhooks. */
  async getSubscribedApps(wabaId: string): Promise<SubscribedApp[]> {
    return this.#call({
      endpoint: 'subscribed_apps',
      method: 'GET',
      path: `/${this.#id('subscribed_apps', wabaId)}/subscribed_apps`,
      idempotent: true,
      parse: (res) => {
        const raw = this.#json(res);
        if (!Array.isArray(raw.data)) throw new TypeError('subscribed_apps without data');
        return raw.data.filter(isRecord).flatMap((entry): SubscribedApp[] => {
          const app = isRecord(entry.whatsapp_business_api_data)
            ? entry.whatsapp_business_api_data
            : {};
          const appId = str(app.id);
          if (!appId) return [];
          return [
            compact({
              appId,
              name: str(app.name),
              link: str(app.link),
              overrideCallbackUri: str(entry.override_callback_uri),
            }),
          ];
        });
      },
    });
  }

  /**
   * `POST /{waba-id}/subscribed_apps`. With `override`, the WABA's webhooks go to that URL
   * (Meta verifies it at once); without, any override is removed.
   */
  async subscribeApp(wabaId: string, override?: WebhookOverride): Promise<{ success: boolean }> {
    if (override && override.callbackUri.length > 200) {
      throw this.#localError('subscribed_apps', 'POST', 'override callbackUri exceeds 200 chars');
    }
    return this.#call({
      endpoint: 'subscribed_apps',
      method: 'POST',
      path: `/${this.#id('subscribed_apps', wabaId)}/subscribed_apps`,
      json: override
        ? { override_callback_uri: override.callbackUri, verify_token: override.verifyToken }
        : undefined,
      idempotent: true,
      parse: (res) => ({ success: this.#json(res).success === true }),
    });
  }

  /** `DELETE /{waba-id}/subscribed_apps`. */
  async unsubscribeApp(wabaId: string): Promise<{ success: boolean }> {
    return this.#call({
      endpoint: 'subscribed_apps',
      method: 'DELETE',
      path: `/${this.#id('subscribed_apps', wabaId)}/subscribed_apps`,
      idempotent: true,
      parse: (res) => ({ success: this.#json(res).success === true }),
    });
  }

  /**
   * `POST /{phone-number-id}/messages`. Validated locally first. A send is repeated only when
   * Meta answered with a retryable error, never after a timeout or reset that may hide a success.
   */
  async sendMessage(phoneNumberId: string, message: OutboundMessage): Promise<SendMessageResult> {
    const problems = validateOutboundMessage(message);
    if (problems.length > 0) {
      throw this.#localError('messages', 'POST', `invalid message: ${problems.join('; ')}`);
    }
    return this.#call({
      endpoint: 'messages',
      method: 'POST',
      path: `/${this.#id('messages', phoneNumberId)}/messages`,
      json: { messaging_product: 'whatsapp', recipient_type: 'individual', ...message },
      idempotent: false,
      parse: (res) => {
        const raw = this.#json(res);
        const sent =
          Array.isArray(raw.messages) && isRecord(raw.messages[0]) ? raw.messages[0] : {};
        const contact =
          Array.isArray(raw.contacts) && isRecord(raw.contacts[0]) ? raw.contacts[0] : {};
        const wamid = str(sent.id);
        if (!wamid) throw new TypeError('send response without messages[0].id');
        return compact({
          wamid,
          waId: str(contact.wa_id),
          userId: str(contact.user_id),
          input: str(contact.input),
          messageStatus: str(sent.message_status),
        });
      },
    });
  }

  /** Sends a text message; `previewUrl` renders a link preview, `replyTo` quotes a message. */
  async sendText(
    phoneNumberId: string,
    to: string | MessageRecipient,
    body: string,
    options: SendTextOptions = {},
  ): Promise<SendMessageResult> {
    return this.sendMessage(phoneNumberId, {
      ...(typeof to === 'string' ? { to } : addressOf(to)),
      type: 'text',
      text: options.previewUrl !== undefined ? { body, preview_url: options.previewUrl } : { body },
      ...(options.replyTo ? { context: { message_id: options.replyTo } } : {}),
      ...(options.bizOpaqueCallbackData
        ? { biz_opaque_callback_data: options.bizOpaqueCallbackData }
        : {}),
    });
  }

  /**
   * Sends uploaded media by id (see {@link uploadMedia}); `caption` for image, video and document,
   * `filename` for a document.
   */
  async sendMedia(
    phoneNumberId: string,
    to: string | MessageRecipient,
    media: {
      kind: 'image' | 'audio' | 'video' | 'document' | 'sticker';
      id: string;
      caption?: string;
      filename?: string;
    },
  ): Promise<SendMessageResult> {
    const address = typeof to === 'string' ? { to } : addressOf(to);
    const source = { id: media.id };
    const caption = media.caption ? { caption: media.caption } : {};
    const content: OutboundContent =
      media.kind === 'image'
        ? { type: 'image', image: { ...source, ...caption } }
        : media.kind === 'video'
          ? { type: 'video', video: { ...source, ...caption } }
          : media.kind === 'document'
            ? {
                type: 'document',
                document: {
                  ...source,
                  ...caption,
                  ...(media.filename ? { filename: media.filename } : {}),
                },
              }
            : media.kind === 'audio'
              ? { type: 'audio', audio: source }
              : { type: 'sticker', sticker: source };
    return this.sendMessage(phoneNumberId, { ...address, ...content });
  }

  /** Marks an inbound message (and earlier ones) as read; `typing` shows the typing bubble. */
  async markAsRead(
    phoneNumberId: string,
    wamid: string,
    options: { typing?: boolean } = {},
  ): Promise<{ success: boolean }> {
    return this.#call({
      endpoint: 'messages',
      method: 'POST',
      path: `/${this.#id('messages', phoneNumberId)}/messages`,
      json: {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: wamid,
        ...(options.typing ? { typing_indicator: { type: 'text' } } : {}),
      },
      idempotent: true,
      parse: (res) => ({ success: this.#json(res).success === true }),
    });
  }

  /** `POST /{phone-number-id}/media` (multipart). Returns the media id (valid 30 days). */
  async uploadMedia(phoneNumberId: string, input: UploadMediaInput): Promise<{ id: string }> {
    const body = buildMultipart([
      { name: 'messaging_product', value: 'whatsapp' },
      { name: 'type', value: input.mimeType },
      { name: 'file', filename: input.filename, contentType: input.mimeType, data: input.data },
    ]);
    return this.#call({
      endpoint: 'media',
      method: 'POST',
      path: `/${this.#id('media', phoneNumberId)}/media`,
      body: { data: body.body, contentType: body.contentType },
      media: true,
      idempotent: true,
      parse: (res) => {
        const id = str(this.#json(res).id);
        if (!id) throw new TypeError('upload response without id');
        return { id };
      },
    });
  }

  /** `GET /{media-id}`: a download URL valid for 5 minutes, plus type, hash and size. */
  async getMediaUrl(mediaId: string, options: { phoneNumberId?: string } = {}): Promise<MediaUrl> {
    return this.#call({
      endpoint: 'media',
      method: 'GET',
      path: `/${this.#id('media', mediaId)}`,
      query: { phone_number_id: options.phoneNumberId },
      idempotent: true,
      parse: (res) => {
        const raw = this.#json(res);
        const id = str(raw.id);
        const url = str(raw.url);
        if (!id || !url) throw new TypeError('media response without id or url');
        return compact({
          id,
          url,
          mimeType: str(raw.mime_type),
          sha256: str(raw.sha256),
          fileSize: num(raw.file_size),
        });
      },
    });
  }

  /**
   * Downloads a media URL from {@link getMediaUrl} into memory (a Buffer, at most
   * `maxMediaBytes`). The token is sent only to https Meta hosts or the configured base URL.
   */
  async downloadMedia(url: string): Promise<DownloadedMedia> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw this.#localError('media_download', 'GET', 'media URL is not a valid URL');
    }
    const host = parsed.hostname.toLowerCase();
    const sameOrigin = parsed.origin === new URL(this.baseUrl).origin;
    const trusted =
      sameOrigin ||
      (parsed.protocol === 'https:' &&
        this.#trustedHosts.some((h) => host === h || host.endsWith(`.${h}`)));
    if (!trusted) {
      throw this.#localError('media_download', 'GET', `refusing to send the token to ${host}`);
    }
    return this.#call({
      endpoint: 'media_download',
      method: 'GET',
      path: parsed.toString(),
      media: true,
      idempotent: true,
      parse: (res) => ({ data: res.body, contentType: res.contentType }),
    });
  }

  /** {@link getMediaUrl} then {@link downloadMedia}, fetching a fresh URL once on a 404. */
  async downloadMediaById(
    mediaId: string,
    options: { phoneNumberId?: string } = {},
  ): Promise<DownloadedMedia & { mimeType?: string; sha256?: string }> {
    let info = await this.getMediaUrl(mediaId, options);
    try {
      const media = await this.downloadMedia(info.url);
      return compact({ ...media, mimeType: info.mimeType, sha256: info.sha256 });
    } catch (error) {
      if (!(error instanceof GraphApiError) || error.httpStatus !== 404) throw error;
      info = await this.getMediaUrl(mediaId, options);
      const media = await this.downloadMedia(info.url);
      return compact({ ...media, mimeType: info.mimeType, sha256: info.sha256 });
    }
  }

  /** A safe summary; the token is never part of it. */
  toJSON(): { baseUrl: string; apiVersion: string } {
    return { baseUrl: this.baseUrl, apiVersion: this.apiVersion };
  }

  // ------------------------------------------------------------------------------------------

  #id(endpoint: GraphEndpoint, id: string): string {
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      throw this.#localError(endpoint, 'GET', 'the id must be a non-empty string of digits');
    }
    return id;
  }

  #localError(endpoint: GraphEndpoint, method: string, message: string): GraphApiError {
    return new GraphApiError({
      message: `${endpoint}: ${redactSecrets(message, [this.#token])}`,
      endpoint,
      method,
      errorType: 'INVALID_REQUEST',
      retryable: false,
      attempts: 0,
    });
  }

  #json(res: { body: Buffer }): Record<string, unknown> {
    const value: unknown = JSON.parse(res.body.toString('utf8'));
    if (!isRecord(value)) throw new TypeError('response is not a JSON object');
    return value;
  }

  #emit(event: GraphRequestEvent): void {
    try {
      this.#onRequest?.(event);
    } catch {
      // A metrics hook must never break a call.
    }
  }

  async #call<T>(spec: CallSpec<T>): Promise<T> {
    const deadline = this.#clock.now() + this.#retry.deadlineMs;
    const url = /^https?:\/\//.test(spec.path)
      ? new URL(spec.path)
      : new URL(`${this.baseUrl}/${this.apiVersion}${spec.path}`);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#token}` };
    let data: Buffer | string | undefined;
    if (spec.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(spec.json);
    } else if (spec.body) {
      headers['Content-Type'] = spec.body.contentType;
      data = spec.body.data;
    }
    const perAttemptTimeout = spec.media ? this.#mediaTimeoutMs : this.#timeoutMs;

    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - this.#clock.now();
      const t0 = Date.now();
      let error: GraphApiError;
      // Only a server's Retry-After stretches the in-call backoff; Meta's per-code suggestions
      // (`retryAfterMs`) are for callers that reschedule the work.
      let retryAfterHeaderMs: number | undefined;
      try {
        const response: AxiosResponse<unknown> = await this.#transport.request({
          url: url.toString(),
          method: spec.method,
          headers,
          data,
          timeout: Math.max(1, Math.min(perAttemptTimeout, remaining)),
          responseType: 'arraybuffer',
          validateStatus: ANY_STATUS,
          maxRedirects: 0,
          maxContentLength: spec.media ? this.#maxMediaBytes : 10 * 1024 * 1024,
          maxBodyLength: this.#maxMediaBytes,
          transformRequest: AS_IS,
          transformResponse: AS_IS,
        });
        const durationMs = Date.now() - t0;
        const body = toBuffer(response.data);
        const contentType = headerString(response.headers['content-type']) ?? '';
        if (response.status >= 200 && response.status < 300) {
          this.#emit({
            endpoint: spec.endpoint,
            method: spec.method,
            status: response.status,
            durationMs,
            attempt,
          });
          try {
            return spec.parse({ body, contentType });
          } catch {
            throw new GraphApiError({
              message: `${spec.endpoint}: unexpected response from Graph API`,
              endpoint: spec.endpoint,
              method: spec.method,
              errorType: 'UNKNOWN',
              retryable: false,
              httpStatus: response.status,
              attempts: attempt,
            });
          }
        }
        error = this.#fromResponse(spec, response.status, body, response.headers, attempt);
        const retryAfter = num(headerString(response.headers['retry-after']));
        if (retryAfter !== undefined) retryAfterHeaderMs = retryAfter * 1000;
        this.#emit({
          endpoint: spec.endpoint,
          method: spec.method,
          status: response.status,
          durationMs,
          attempt,
          ...(error.code !== undefined ? { errorCode: error.code } : {}),
        });
      } catch (thrown) {
        if (thrown instanceof GraphApiError) throw thrown;
        error = this.#fromNetwork(spec, thrown, attempt);
        this.#emit({
          endpoint: spec.endpoint,
          method: spec.method,
          status: 'network',
          durationMs: Date.now() - t0,
          attempt,
        });
      }

      const repeatable =
        error.retryable &&
        !isCallerScheduledRetry(error.code) &&
        (spec.idempotent || !mayHaveReachedMeta(error));
      if (!repeatable || attempt >= this.#retry.maxAttempts) throw error;
      const delay = computeBackoffDelay(attempt, this.#retry, this.#random, retryAfterHeaderMs);
      if (this.#clock.now() + delay >= deadline) throw error;
      await this.#clock.sleep(delay);
    }
  }

  #fromResponse(
    spec: CallSpec<unknown>,
    status: number,
    body: Buffer,
    headers: AxiosResponse['headers'],
    attempt: number,
  ): GraphApiError {
    let envelope: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (isRecord(parsed) && isRecord(parsed.error)) envelope = parsed.error;
    } catch {
      // Not JSON (a proxy's HTML page, an empty body): classify by status alone.
    }
    const code = num(envelope.code);
    const subcode = num(envelope.error_subcode);
    const classification = classifyGraphError({
      code,
      subcode,
      httpStatus: status,
      endpoint: spec.endpoint,
    });
    const retryable =
      classification.retryable ||
      (envelope.is_transient === true && classification.errorType === 'UNKNOWN');
    const retryAfterHeader = num(headerString(headers['retry-after']));
    const retryAfterMs =
      retryAfterHeader !== undefined
        ? Math.max(retryAfterHeader * 1000, classification.retryAfterMs ?? 0)
        : classification.retryAfterMs;
    const errorData = isRecord(envelope.error_data) ? envelope.error_data : {};
    const details = str(errorData.details) ?? str(envelope.error_user_msg);
    const metaMessage = str(envelope.message);
    const summary = metaMessage
      ? `${spec.endpoint}: Graph API error${code !== undefined ? ` ${code}` : ''} (HTTP ${status}): ${metaMessage}`
      : `${spec.endpoint}: Graph API answered HTTP ${status}`;
    return new GraphApiError({
      message: redactSecrets(summary, [this.#token]),
      endpoint: spec.endpoint,
      method: spec.method,
      errorType: classification.errorType,
      retryable,
      retryAfterMs,
      code,
      subcode,
      type: str(envelope.type),
      fbtraceId: str(envelope.fbtrace_id),
      httpStatus: status,
      details: details !== undefined ? redactSecrets(details, [this.#token]) : undefined,
      metaMessage:
        metaMessage !== undefined ? redactSecrets(metaMessage, [this.#token]) : undefined,
      attempts: attempt,
    });
  }

  #fromNetwork(spec: CallSpec<unknown>, thrown: unknown, attempt: number): GraphApiError {
    // Read two plain strings from the axios error and drop it: its config holds the token.
    const networkCode =
      isRecord(thrown) && typeof thrown.code === 'string' ? thrown.code : 'ERR_NETWORK';
    const rawMessage = thrown instanceof Error ? thrown.message : 'network failure';
    const tooLarge = /maxContentLength|maxBodyLength/.test(rawMessage);
    const timedOut = networkCode === 'ECONNABORTED' || networkCode === 'ETIMEDOUT';
    return new GraphApiError({
      message: redactSecrets(
        `${spec.endpoint}: ${timedOut ? 'request timed out' : 'network error'} (${networkCode}): ${rawMessage}`,
        [this.#token],
      ),
      endpoint: spec.endpoint,
      method: spec.method,
      errorType: tooLarge ? 'MEDIA_ERROR' : 'CONNECTION_FAILED',
      retryable: !tooLarge,
      networkCode: timedOut ? 'ETIMEDOUT' : networkCode,
      attempts: attempt,
    });
  }
}
