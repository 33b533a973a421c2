import type { ConversationStatus } from './conversations';
import type { FieldRule } from './rules';

/** Who wrote a message of a thread. */
export const MESSAGE_SENDERS = ['customer', 'bot', 'agent', 'business_app'] as const;
export type MessageSender = (typeof MESSAGE_SENDERS)[number];

/** Whether the bot answers a conversation: `paused` until `pausedUntil`, or until resumed by hand. */
export const BOT_STATES = ['active', 'paused'] as const;
export type BotState = (typeof BOT_STATES)[number];

export interface BotSwitchView {
  state: BotState;
  /** When a paused bot resumes by itself; null: it stays paused until someone resumes it. */
  pausedUntil: string | null;
}

/** WhatsApp's customer-service window: free-form messages only within 24 h of the customer's last. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3600_000;

/** One WhatsApp text message holds at most 4096 characters; a longer agent reply is refused. */
export const AGENT_MESSAGE_RULES = {
  content: { required: true, minLength: 1, maxLength: 4096 },
  /** A file's caption (multipart `caption`): Meta takes up to 1024 characters. */
  caption: { required: false, minLength: 1, maxLength: 1024 },
  idempotencyKey: {
    required: false,
    minLength: 1,
    maxLength: 100,
    pattern: /^[\x21-\x7e]+$/,
    patternMessage: 'must be printable ASCII without spaces',
  },
} satisfies Record<string, FieldRule>;

/** `POST /api/v1/conversations/:id/messages` (an `Idempotency-Key` header makes a retry safe). */
export interface AgentMessageRequest {
  content: string;
}

/** `POST /api/v1/conversations/:id/assign`: a user of the workspace, or null to unassign. */
export interface AssignConversationRequest {
  userId: string | null;
}

/** `PUT /api/v1/conversations/:id/bot`: pause (optionally until a time) or resume the bot. */
export interface BotSwitchRequest {
  state: BotState;
  /** ISO time; only with `paused`. */
  pausedUntil?: string | null;
}

/**
 * Why a conversation action was refused (the error body's `details.reason`); an agent's send can
 * also be refused with the retry refusals `OUTSIDE_CUSTOMER_SERVICE_WINDOW` and `NO_ACTIVE_INTEGRATION`.
 */
export const CONVERSATION_REFUSALS = [
  'UNKNOWN_ASSIGNEE',
  'NOT_A_USER',
  'IDEMPOTENCY_KEY_REUSED',
] as const;
export type ConversationRefusal = (typeof CONVERSATION_REFUSALS)[number];

/** Handoff settings of a chatbot: when the bot hands a conversation to a person, and what it says. */
export interface HandoffSettings {
  /** The customer asks for a person with one of these words (accent- and case-insensitive). */
  keywords: string[];
  /** Hand off when the rules responder has no answer (its fallback). */
  onFallback: boolean;
  /** Hand off when the LLM answers with the handoff marker. */
  onLlmRequest: boolean;
  /** What the customer is told when a person takes over. */
  message: string;
  /** Minutes of agent silence after which the bot resumes; null: never by itself. */
  resumeAfterMinutes: number | null;
  /** When the team answers; null: always (the handoff message never says otherwise). */
  openingHours: OpeningHours | null;
  /** Said instead of `message` outside the opening hours (empty: `message` is said). */
  outsideHoursMessage: string;
}

/** The team's opening hours: `from`–`to` (HH:MM, local to `timeZone`) on the given weekdays. */
export interface OpeningHours {
  /** An IANA time zone, e.g. `Europe/Madrid`. */
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekdays: number[];
  from: string;
  to: string;
}

const WEEKDAY_INDEX: Record<string, number> = {
  Sun: 0,
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
};

/** Whether `at` falls within the opening hours (an unknown time zone counts as open). */
export function isWithinOpeningHours(hours: OpeningHours, at: Date): boolean {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: hours.timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
  } catch {
    return true;
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAY_INDEX[part('weekday')];
  const time = `${part('hour').padStart(2, '0')}:${part('minute').padStart(2, '0')}`;
  return day !== undefined && hours.weekdays.includes(day) && time >= hours.from && time < hours.to;
}

export const HANDOFF_RULES = {
  keyword: { required: true, minLength: 1, maxLength: 60 },
  message: { required: true, minLength: 1, maxLength: 1000 },
  outsideHoursMessage: { required: false, maxLength: 1000 },
  time: {
    required: true,
    pattern: /^([01]\d|2[0-3]):[0-5]\d$/,
    patternMessage: 'must be a time HH:MM',
  },
  timeZone: {
    required: true,
    maxLength: 64,
    pattern: /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/,
    patternMessage: 'must be an IANA time zone such as Europe/Madrid',
  },
} satisfies Record<string, FieldRule>;
export const HANDOFF_MAX_KEYWORDS = 30;
export const HANDOFF_RESUME_MAX_MINUTES = 7 * 24 * 60;

/** What an LLM answers (alone) when the customer needs a person. */
export const LLM_HANDOFF_MARKER = '[[HANDOFF]]';

export const HANDOFF_DEFAULTS: Record<'es' | 'en', HandoffSettings> = {
  es: {
    keywords: ['agente', 'humano', 'persona', 'asesor', 'human', 'agent'],
    onFallback: false,
    onLlmRequest: true,
    message: 'Te comunico con una persona del equipo. Te responderemos en este chat.',
    resumeAfterMinutes: 30,
    openingHours: null,
    outsideHoursMessage: '',
  },
  en: {
    keywords: ['agente', 'humano', 'persona', 'asesor', 'human', 'agent'],
    onFallback: false,
    onLlmRequest: true,
    message: 'I am passing you to a person on the team. We will answer you in this chat.',
    resumeAfterMinutes: 30,
    openingHours: null,
    outsideHoursMessage: '',
  },
};

/**
 * One change pushed by `GET /api/v1/events` (Server-Sent Events), scoped to the workspace:
 * a conversation's (`message`, `status`, `conversation`) or a number's templates (`templates`).
 */
export const WORKSPACE_EVENT_TYPES = ['message', 'status', 'conversation', 'templates'] as const;
export type WorkspaceEventType = (typeof WORKSPACE_EVENT_TYPES)[number];

export interface WorkspaceEvent {
  id: string;
  type: WorkspaceEventType;
  /** The conversation changed; null for `templates`. */
  conversationId: string | null;
  /** For `templates`: the integration whose templates changed; else null. */
  integrationId: string | null;
  messageId: string | null;
  /** For `conversation`: its state after the change. */
  status: ConversationStatus | null;
  at: string;
}
