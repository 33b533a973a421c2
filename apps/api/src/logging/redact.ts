/** Path segments that are personal data: a contact's number or web session id. */
const PERSONAL_PATH = /(\/contacts\/[^/?]+\/)[^/?]+/g;

/**
 * The URL as logged: no query string (verify tokens, access tokens) and no person in the path
 * (`/api/v1/contacts/whatsapp/<number>` becomes `/api/v1/contacts/whatsapp/:visitorId`).
 */
export function redactUrl(url: string): string {
  return (url.split('?')[0] ?? '').replace(PERSONAL_PATH, '$1:visitorId');
}

/**
 * Log paths whose values never reach a log line: credentials, signatures and personal data.
 * Features extend this list here rather than remembering to scrub at each call site.
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'accessToken',
  'appSecret',
  'token',
  'password',
  'apiKey',
  'phone',
  'waId',
  'from',
  'to',
  'visitorId',
  'content',
  'body',
  '*.accessToken',
  '*.appSecret',
  '*.token',
  '*.password',
  '*.passwordHash',
  '*.keyHash',
  '*.tokenHash',
  '*.csrfToken',
  '*.apiKey',
  '*.secret',
  '*.phone',
  '*.waId',
  '*.from',
  '*.to',
  '*.visitorId',
  '*.contactName',
  'contactName',
  '*.content',
  '*.text',
  '*.body',
  'webhookVerifyToken',
  'verifyToken',
  '*.webhookVerifyToken',
  '*.verifyToken',
  '*.accessToken.*',
  // WhatsApp webhook: customer numbers, names and message text in parsed events.
  'recipientId',
  'contactName',
  'caption',
  'sessionId',
  'queueKey',
  '*.recipientId',
  '*.contactName',
  '*.caption',
  '*.sessionId',
  '*.queueKey',
  'err.config',
  'err.request',
  'err.response',
];
