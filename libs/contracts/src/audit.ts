export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export type AuditActorType = 'user' | 'apiKey' | 'anonymous';

export interface AuditEntryView {
  id: string;
  /** e.g. `auth.login`, `apiKey.create`, `chatbot.update`, `integration.delete`. */
  action: string;
  outcome: AuditOutcome;
  actor: {
    type: AuditActorType;
    userId: string | null;
    apiKeyId: string | null;
    email: string | null;
  };
  target: { type: string; id: string } | null;
  ip: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface AuditPage {
  items: AuditEntryView[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const AUDIT_PAGE_MAX = 100;
