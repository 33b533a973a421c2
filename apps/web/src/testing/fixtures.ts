import {
  CONSENT_DEFAULTS,
  EMPTY_ACCOUNT_HEALTH,
  type RateCardView,
  type UsageView,
  type ConversationCounts,
  type ChatbotView,
  type ConversationListItem,
  type IntegrationStatus,
  type MeResponse,
  type MessageMediaView,
  type MessageView,
} from '@conecta/contracts';

export const CHATBOT_ID = '65a000000000000000000001';

export const adminMe: MeResponse = {
  user: { id: 'u1', email: 'ana@example.com', name: 'Ana Admin', role: 'admin' },
  workspace: { id: 'w1', name: 'Panadería Sol' },
};

export const agentMe: MeResponse = {
  user: { id: 'u2', email: 'leo@example.com', name: 'Leo Agent', role: 'agent' },
  workspace: { id: 'w1', name: 'Panadería Sol' },
};

export function chatbot(overrides: Partial<ChatbotView> = {}): ChatbotView {
  return {
    id: CHATBOT_ID,
    publicId: 'pub_demo',
    name: 'Asistente Sol',
    language: 'es',
    welcomeMessage: '¡Hola!',
    instructions: '',
    fallbackMessage: 'Un agente te contestará.',
    faq: [{ keywords: ['horario'], answer: 'De 8 a 20 h.' }],
    responder: {
      type: 'rules',
      baseUrl: null,
      model: null,
      temperature: null,
      maxTokens: null,
      acceptsImages: false,
      transcriptionModel: null,
      hasApiKey: false,
    },
    publicChatEnabled: true,
    handoff: {
      keywords: ['agente', 'humano'],
      onFallback: false,
      onLlmRequest: true,
      message: 'Te paso con una persona.',
      resumeAfterMinutes: 30,
      openingHours: null,
      outsideHoursMessage: '',
    },
    consent: {
      ...CONSENT_DEFAULTS,
      optOutKeywords: [...CONSENT_DEFAULTS.optOutKeywords],
      optInKeywords: [...CONSENT_DEFAULTS.optInKeywords],
    },
    singleMessageReplies: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function integration(overrides: Partial<IntegrationStatus> = {}): IntegrationStatus {
  return {
    id: 'int1',
    platform: 'WHATSAPP',
    chatbotId: CHATBOT_ID,
    status: 'connected',
    isActive: true,
    phoneNumberId: '123456789012345',
    businessAccountId: '987654321098765',
    tokenLast4: 'x9Qz',
    hasAppSecret: true,
    webhook: {
      callbackUrl: 'https://conecta.example.com/api/whatsapp/webhook',
      verifyToken: 'verify-token-123',
    },
    connection: {
      displayPhoneNumber: '+34 600 11 22 33',
      verifiedName: 'Panadería Sol',
      businessName: 'Panadería Sol SL',
      qualityRating: 'GREEN',
      codeVerificationStatus: 'VERIFIED',
      phoneStatus: 'CONNECTED',
      platformType: 'CLOUD_API',
      throughputLevel: 'STANDARD',
      nameStatus: 'APPROVED',
    },
    errorType: null,
    lastActivity: new Date(Date.now() - 5 * 60_000).toISOString(),
    lastTestedAt: null,
    lastWebhookAt: null,
    lastSendOkAt: null,
    subscribedAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    account: EMPTY_ACCOUNT_HEALTH,
    ...overrides,
  };
}

export function conversation(overrides: Partial<ConversationListItem> = {}): ConversationListItem {
  return {
    id: 'c1',
    chatbotId: CHATBOT_ID,
    channel: 'whatsapp',
    integrationId: 'i1',
    marketingConsent: { optedOut: false, history: [] },
    status: 'open',
    isFavorite: false,
    contactName: 'Lucía',
    maskedPhone: '•••• 4567',
    username: null,
    visitorLabel: '•••• 4567',
    lastMessagePreview: 'Hola, ¿qué horario tenéis?',
    lastMessageAt: '2026-03-01T10:00:00.000Z',
    adReferral: null,
    freeEntryPointEndsAt: null,
    messageCount: 2,
    assigneeId: null,
    bot: { state: 'active', pausedUntil: null },
    unreadCount: 0,
    // The customer wrote an hour ago: the 24-hour window is open.
    windowEndsAt: new Date(Date.now() + 23 * 3600_000).toISOString(),
    startedAt: '2026-03-01T09:59:00.000Z',
    endedAt: null,
    createdAt: '2026-03-01T09:59:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

/** A kept JPEG image of a message; override what a test is about. */
export function mediaView(overrides: Partial<MessageMediaView> = {}): MessageMediaView {
  return {
    kind: 'image',
    mimeType: 'image/jpeg',
    fileName: null,
    caption: null,
    voice: false,
    state: 'stored',
    size: 2048,
    sniffedType: 'image/jpeg',
    failureCode: null,
    failureDetail: null,
    transcript: null,
    ...overrides,
  };
}

export function message(overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: 'm1',
    conversationId: 'c1',
    role: 'user',
    channel: 'whatsapp',
    content: 'Hola',
    createdAt: '2026-03-01T10:00:00.000Z',
    deliveryStatus: null,
    failureReason: null,
    failureType: null,
    failureCode: null,
    failedPart: null,
    media: null,
    location: null,
    sharedContacts: null,
    isReply: false,
    sentFromBusinessApp: false,
    template: null,
    sender: overrides.role === 'assistant' ? 'bot' : 'customer',
    authorUserId: null,
    authorName: null,
    tokens: null,
    responseTime: null,
    firstTokenLatency: null,
    ...overrides,
  };
}

export const counts: ConversationCounts = {
  all: 5,
  web: 2,
  whatsapp: 3,
  telegram: 0,
  states: { open: 4, pending: 1, closed: 0 },
  mine: 0,
  unassigned: 5,
  waiting: 1,
};

export const assignees = [
  { id: 'u1', name: 'Ana Admin' },
  { id: 'u2', name: 'Leo Agent' },
];

export function usage(overrides: Partial<UsageView> = {}): UsageView {
  return {
    integrationId: 'i1',
    month: '2026-03',
    byCategory: [],
    byCountry: [],
    bySender: { bot: 0, agent: 0, template: 0 },
    replies: { total: 0, split: 0, parts: 0 },
    totals: { delivered: 0, billable: 0, free: 0 },
    estimate: null,
    ...overrides,
  };
}

export function rateCard(overrides: Partial<RateCardView> = {}): RateCardView {
  return { currency: 'EUR', rates: [], updatedAt: null, ...overrides };
}
