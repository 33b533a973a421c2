export const AUDIT_OUTCOMES = ['success', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export type AuditActorType = 'user' | 'apiKey' | 'anonymous';

/** Every action the audit log records; the SPA words each one (es, en). */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'apiKey.create',
  'apiKey.revoke',
  'chatbot.create',
  'chatbot.update',
  'chatbot.delete',
  'contact.export',
  'conversation.take',
  'conversation.assign',
  'conversation.close',
  'conversation.reopen',
  'conversation.bot',
  'conversation.handoff',
  'contact.erase',
  'integration.create',
  'integration.update',
  'integration.test',
  'integration.disconnect',
  'integration.delete',
  'rateCard.update',
  'invitation.create',
  'invitation.revoke',
  'invitation.accept',
  'user.deactivate',
  'user.reactivate',
  'user.remove',
  'user.role.change',
  'user.password.change',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntryView {
  id: string;
  /** One of {@link AUDIT_ACTIONS}, e.g. `auth.login`, `integration.delete`. */
  action: string;
  outcome: AuditOutcome;
  actor: {
    type: AuditActorType;
    userId: string | null;
    apiKeyId: string | null;
    email: string | null;
    /** The user's name, or the API key's name, as they are now (null once deleted). */
    name: string | null;
  };
  /** `name`: what the target is called now (a chatbot's name, a user's, a number), if it still exists. */
  target: { type: string; id: string; name: string | null } | null;
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
