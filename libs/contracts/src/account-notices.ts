/**
 * What Meta says about a WhatsApp account outside the message flow (template reviews, account
 * restrictions and bans, quality and messaging limits, alerts, display-name reviews), as the API
 * shows it per integration. Values are Meta's codes; the SPA has the words for the known ones and
 * says "unknown" for the rest. Meta's own sentences (`description`, `detail`) are shown as Meta's.
 */

/** `phone_number_quality_update` events. */
export const QUALITY_EVENTS = [
  'FLAGGED',
  'UNFLAGGED',
  'DOWNGRADE',
  'UPGRADE',
  'ONBOARDING',
  'THROUGHPUT_UPGRADE',
] as const;

/** Messaging limit tiers (business-initiated conversations per 24 h). */
export const MESSAGING_LIMIT_TIERS = [
  'TIER_50',
  'TIER_250',
  'TIER_1K',
  'TIER_2K',
  'TIER_10K',
  'TIER_100K',
  'TIER_UNLIMITED',
  'TIER_NOT_SET',
] as const;

/** Quality ratings of a phone number (from the last connection test). */
export const QUALITY_RATINGS = ['GREEN', 'YELLOW', 'RED', 'NA', 'UNKNOWN'] as const;

/** `message_template_status_update` events. */
export const TEMPLATE_EVENTS = [
  'APPROVED',
  'REJECTED',
  'PENDING',
  'PAUSED',
  'DISABLED',
  'FLAGGED',
  'REINSTATED',
  'IN_APPEAL',
  'LIMIT_EXCEEDED',
  'LOCKED',
  'ARCHIVED',
  'UNARCHIVED',
  'DELETED',
  'PENDING_DELETION',
] as const;

/** Template rejection reasons. */
export const TEMPLATE_REASONS = [
  'ABUSIVE_CONTENT',
  'CATEGORY_NOT_AVAILABLE',
  'INCORRECT_CATEGORY',
  'INVALID_FORMAT',
  'PROMOTIONAL',
  'SCAM',
  'TAG_CONTENT_MISMATCH',
  'NONE',
] as const;

/** `account_update` restriction types. */
export const RESTRICTION_TYPES = [
  'RESTRICTED_ADD_PHONE_NUMBER_ACTION',
  'RESTRICTED_BIZ_INITIATED_MESSAGING',
  'RESTRICTED_CUSTOMER_INITIATED_MESSAGING',
] as const;

/** Where the account stands, from the latest restriction, ban or deletion Meta reported. */
export const ACCOUNT_STANDINGS = [
  'ok',
  'restricted',
  'ban_scheduled',
  'banned',
  'deleted',
] as const;
export type AccountStanding = (typeof ACCOUNT_STANDINGS)[number];

/** `account_alerts` types Conecta has words for. */
export const ALERT_TYPES = [
  'OBA_APPROVED',
  'OBA_REJECTED',
  'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
  'INCREASED_CAPABILITIES_ELIGIBILITY_FAILED',
  'INCREASED_CAPABILITIES_ELIGIBILITY_NEED_MORE_INFO',
  'BUSINESS_PROFILE_PICTURE_DELETED',
] as const;

/** `phone_number_name_update` decisions and rejection reasons. */
export const NAME_DECISIONS = ['APPROVED', 'REJECTED', 'DEFERRED', 'PENDING'] as const;
export const NAME_REJECTIONS = [
  'NAME_EMPLOYEE_ISSUE',
  'NAME_ENDCLIENT_NOTRELATED',
  'NAME_FORMAT_UNACCEPTABLE',
  'NAME_INDIVIDUAL_ISSUE',
  'NAME_NOT_CONSISTENT',
  'UNKNOWN',
] as const;

/** Business verification (partner-led) statuses. */
export const VERIFICATION_STATUSES = [
  'APPROVED',
  'REJECTED',
  'PENDING',
  'FAILED',
  'DISCARDED',
] as const;

/** The account's state as the latest notices describe it. Times are ISO strings (Meta's time). */
export interface AccountHealth {
  /** Latest quality or messaging-limit notice. */
  quality: { event: string; limit: string | null; oldLimit: string | null; at: string } | null;
  /** Latest restriction, ban or deletion; null when Meta never reported one. */
  standing: {
    state: AccountStanding;
    /** Meta's event and codes, for the detail view. */
    event: string;
    restrictions: { type: string; expiration: string | null }[];
    banState: string | null;
    banDate: string | null;
    at: string;
  } | null;
  /** Latest policy violation Meta reported (a warning; it does not block by itself). */
  violation: { type: string; at: string } | null;
  /** Alerts whose latest notice is still active, newest first. */
  alerts: { type: string; severity: string | null; description: string | null; at: string }[];
  /** The latest template status changes, newest first (at most {@link RECENT_TEMPLATES}). */
  templates: {
    name: string | null;
    language: string | null;
    event: string;
    reason: string | null;
    /** Meta's own explanation (pause description or rejection detail). */
    detail: string | null;
    at: string;
  }[];
  displayName: {
    decision: string;
    requestedName: string | null;
    rejectionReason: string | null;
    at: string;
  } | null;
  verification: { status: string; rejections: string[]; at: string } | null;
}

export const RECENT_TEMPLATES = 5;

export const EMPTY_ACCOUNT_HEALTH: AccountHealth = {
  quality: null,
  standing: null,
  violation: null,
  alerts: [],
  templates: [],
  displayName: null,
  verification: null,
};

/** Standings that stop the number from working as the owner expects: the integration shows an error. */
export const BLOCKING_STANDINGS: readonly AccountStanding[] = ['restricted', 'banned', 'deleted'];
