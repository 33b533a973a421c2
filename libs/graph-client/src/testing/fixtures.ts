import { randomBytes } from 'node:crypto';

/** Meta's webhook envelope, as built by the fixture builders. */
export interface MetaWebhookPayload {
  object: 'whatsapp_business_account';
  entry: {
    id: string;
    time?: number;
    changes: { field: string; value: Record<string, unknown> }[];
  }[];
}

export interface WebhookTarget {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber?: string;
}

/** A wamid shaped like Meta's (`wamid.HBgL…`). */
export function newWamid(): string {
  return `wamid.HBgL${randomBytes(24).toString('base64')}`;
}

export function nowSeconds(): string {
  return String(Math.floor(Date.now() / 1000));
}

function metadata(target: WebhookTarget): Record<string, string> {
  return {
    display_phone_number: target.displayPhoneNumber ?? '15550783881',
    phone_number_id: target.phoneNumberId,
  };
}

/** One envelope with one `messages` change per value (all under the same WABA). */
export function buildWebhookEnvelope(
  wabaId: string,
  values: Record<string, unknown>[],
): MetaWebhookPayload {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: values.map((value) => ({ field: 'messages', value })) }],
  };
}

export interface InboundMessageInput extends WebhookTarget {
  from: string;
  /** The sender's business-scoped user id (`user_id`, `from_user_id`), as Meta sends since 2026. */
  userId?: string;
  contactName?: string;
  wamid?: string;
  timestamp?: string;
}

/**
 * An inbound-message webhook; `message` holds `type` and the per-type object (and `context`, …);
 * the builder adds `from`, `id` and `timestamp`.
 */
export function buildInboundMessageWebhook(
  input: InboundMessageInput,
  message: Record<string, unknown> & { type: string },
): MetaWebhookPayload {
  return buildWebhookEnvelope(input.wabaId, [
    {
      messaging_product: 'whatsapp',
      metadata: metadata(input),
      contacts: [
        {
          profile: { name: input.contactName ?? 'Test User' },
          wa_id: input.from,
          ...(input.userId ? { user_id: input.userId } : {}),
        },
      ],
      messages: [
        {
          from: input.from,
          ...(input.userId ? { from_user_id: input.userId } : {}),
          id: input.wamid ?? newWamid(),
          timestamp: input.timestamp ?? nowSeconds(),
          ...message,
        },
      ],
    },
  ]);
}

export function buildInboundTextWebhook(
  input: InboundMessageInput & { text: string; replyTo?: string },
): MetaWebhookPayload {
  return buildInboundMessageWebhook(input, {
    ...(input.replyTo
      ? { context: { from: input.displayPhoneNumber ?? '', id: input.replyTo } }
      : {}),
    type: 'text',
    text: { body: input.text },
  });
}

export interface StatusInput extends WebhookTarget {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'played' | 'failed';
  /** The user's phone; absent for a user reached by BSUID only. */
  recipientId?: string;
  /** The user's business-scoped user id (`recipient_user_id`). */
  recipientUserId?: string;
  timestamp?: string;
  /** true: service-message pricing; or Meta's pricing object fields. */
  pricing?:
    boolean | { billable?: boolean; pricing_model?: string; type?: string; category?: string };
  errors?: { code: number; title?: string; message?: string; details?: string }[];
  bizOpaqueCallbackData?: string;
}

/** The error object of a failed status or `value.errors[]`, as Meta sends it. */
export function buildWebhookError(error: {
  code: number;
  title?: string;
  message?: string;
  details?: string;
}): Record<string, unknown> {
  const title = error.title ?? `Error ${error.code}`;
  return {
    code: error.code,
    title,
    message: error.message ?? title,
    error_data: { details: error.details ?? title },
    href: '/documentation/business-messaging/whatsapp/support/error-codes',
  };
}

export function buildStatusWebhook(input: StatusInput): MetaWebhookPayload {
  const status: Record<string, unknown> = {
    id: input.wamid,
    status: input.status,
    timestamp: input.timestamp ?? nowSeconds(),
  };
  if (input.recipientId) status.recipient_id = input.recipientId;
  if (input.recipientUserId) status.recipient_user_id = input.recipientUserId;
  if (input.bizOpaqueCallbackData) status.biz_opaque_callback_data = input.bizOpaqueCallbackData;
  if (input.pricing) {
    status.pricing =
      input.pricing === true
        ? {
            billable: false,
            pricing_model: 'PMP',
            type: 'free_customer_service',
            category: 'service',
          }
        : input.pricing;
  }
  if (input.errors) status.errors = input.errors.map(buildWebhookError);
  const value: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    metadata: metadata(input),
    statuses: [status],
  };
  if (input.status !== 'failed') {
    value.contacts = [
      {
        profile: { name: 'Test User' },
        ...(input.recipientId ? { wa_id: input.recipientId } : {}),
        ...(input.recipientUserId ? { user_id: input.recipientUserId } : {}),
      },
    ];
  }
  return buildWebhookEnvelope(input.wabaId, [value]);
}

/**
 * A webhook of a non-`messages` field (Meta's shapes; the WABA id in `entry[].id` is all such
 * changes carry to find their app). `time` is set as Meta does for these fields.
 */
export function buildFieldWebhook(
  wabaId: string,
  field: string,
  value: Record<string, unknown>,
): MetaWebhookPayload {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, time: Number(nowSeconds()), changes: [{ field, value }] }],
  };
}

/** Options of the management-field builders (Meta's documented values; any string is sent as is). */
export interface TemplateStatusInput {
  event?: string;
  reason?: string;
  name?: string;
  language?: string;
  category?: string;
  /** `other_info` of a pause/lock: Meta's title code and description. */
  otherInfo?: { title: string; description: string };
  /** `rejection_info` of an INVALID_FORMAT rejection. */
  rejectionInfo?: { reason: string; recommendation: string };
  /** Meta's template id (a number in Meta's payload). */
  templateId?: string;
}

export interface TemplateCategoryInput {
  name?: string;
  language?: string;
  templateId?: string;
  previousCategory?: string;
  /** The category applied now; omit it (and give `correctCategory`) for a change announced ahead. */
  newCategory?: string;
  correctCategory?: string;
}

export interface AccountUpdateInput {
  event?: string;
  restrictions?: { restriction_type: string; expiration?: string | number }[];
  banState?: string;
  banDate?: string;
  violationType?: string;
}

export interface QualityUpdateInput {
  event?: string;
  displayPhoneNumber?: string;
  limit?: string;
  oldLimit?: string;
}

export interface AccountAlertInput {
  alertType?: string;
  severity?: string;
  status?: string;
  description?: string;
  entityType?: string;
  entityId?: string;
}

/** Every webhook kind Meta sends to a WABA's app, for the fake and tests (documented shapes). */
export const WEBHOOK_KINDS = {
  templateStatus: (wabaId: string, input: TemplateStatusInput = {}) =>
    buildFieldWebhook(wabaId, 'message_template_status_update', {
      event: input.event ?? 'REJECTED',
      message_template_id: Number(input.templateId ?? '1689556908129832'),
      message_template_name: input.name ?? 'welcome',
      message_template_language: input.language ?? 'es',
      reason: input.reason ?? 'INCORRECT_CATEGORY',
      message_template_category: input.category ?? 'MARKETING',
      ...(input.otherInfo ? { other_info: input.otherInfo } : {}),
      ...(input.rejectionInfo ? { rejection_info: input.rejectionInfo } : {}),
      ...(input.event === 'DISABLED' ? { disable_info: { disable_date: nowSeconds() } } : {}),
    }),
  /** Meta moved a template to another category (UTILITY → MARKETING by default). */
  templateCategory: (wabaId: string, input: TemplateCategoryInput = {}) =>
    buildFieldWebhook(wabaId, 'template_category_update', {
      message_template_id: Number(input.templateId ?? '1689556908129832'),
      message_template_name: input.name ?? 'welcome',
      message_template_language: input.language ?? 'es',
      previous_category: input.previousCategory ?? 'UTILITY',
      ...(input.correctCategory
        ? { correct_category: input.correctCategory }
        : { new_category: input.newCategory ?? 'MARKETING' }),
    }),
  /** ACCOUNT_RESTRICTION by default; `banState` makes it a DISABLED_UPDATE. */
  accountUpdate: (wabaId: string, input: AccountUpdateInput = {}) => {
    const event = input.event ?? (input.banState ? 'DISABLED_UPDATE' : 'ACCOUNT_RESTRICTION');
    const value: Record<string, unknown> = { event };
    if (event === 'ACCOUNT_RESTRICTION') {
      value.restriction_info = input.restrictions ?? [
        {
          restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING',
          expiration: '2026-12-31T00:00:00+0000',
        },
      ];
    }
    if (input.banState) {
      value.ban_info = {
        waba_ban_state: input.banState,
        waba_ban_date: input.banDate ?? '2026-12-01',
      };
    }
    if (input.violationType) value.violation_info = { violation_type: input.violationType };
    return buildFieldWebhook(wabaId, 'account_update', value);
  },
  qualityUpdate: (wabaId: string, input: QualityUpdateInput = {}) =>
    buildFieldWebhook(wabaId, 'phone_number_quality_update', {
      display_phone_number: input.displayPhoneNumber ?? '15550100100',
      event: input.event ?? 'DOWNGRADE',
      ...(input.oldLimit ? { old_limit: input.oldLimit } : {}),
      current_limit: input.limit ?? 'TIER_250',
      max_daily_conversations_per_business: input.limit ?? 'TIER_250',
    }),
  accountAlert: (wabaId: string, input: AccountAlertInput = {}) =>
    buildFieldWebhook(wabaId, 'account_alerts', {
      entity_type: input.entityType ?? 'WABA',
      entity_id: input.entityId ?? wabaId,
      alert_info: {
        alert_severity: input.severity ?? 'WARNING',
        alert_status: input.status ?? 'ACTIVE',
        alert_type: input.alertType ?? 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
        alert_description:
          input.description ?? 'Your business is not yet eligible for a higher messaging limit.',
      },
    }),
  nameUpdate: (
    wabaId: string,
    input: {
      decision?: string;
      displayPhoneNumber?: string;
      name?: string;
      rejectionReason?: string;
    } = {},
  ) =>
    buildFieldWebhook(wabaId, 'phone_number_name_update', {
      display_phone_number: input.displayPhoneNumber ?? '15550100100',
      decision: input.decision ?? 'REJECTED',
      requested_verified_name: input.name ?? 'Conecta Demo',
      rejection_reason:
        input.rejectionReason ??
        (input.decision === 'APPROVED' ? null : 'NAME_FORMAT_UNACCEPTABLE'),
    }),
  messageEcho: (target: WebhookTarget, to: string, text: string) =>
    buildFieldWebhook(target.wabaId, 'smb_message_echoes', {
      messaging_product: 'whatsapp',
      metadata: metadata(target),
      message_echoes: [
        {
          from: target.displayPhoneNumber ?? '15550783881',
          to,
          id: newWamid(),
          timestamp: nowSeconds(),
          type: 'text',
          text: { body: text },
        },
      ],
    }),
  /** `timestamp`: Meta's time of the message (unix seconds), now when absent. */
  adReferral: (target: WebhookTarget, from: string, text: string, timestamp?: string) =>
    buildInboundMessageWebhook(
      { ...target, from, ...(timestamp ? { timestamp } : {}) },
      {
        type: 'text',
        text: { body: text },
        referral: {
          source_url: 'https://fb.me/ad',
          source_id: '120200000000000',
          source_type: 'ad',
          headline: 'Oferta de invierno',
          body: 'Escríbenos por WhatsApp',
          media_type: 'image',
          image_url: 'https://example.com/ad.jpg',
          ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ',
        },
      },
    ),
};
