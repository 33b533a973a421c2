import { AUDIT_ACTIONS, type AuditAction, type AuditEntryView } from '@conecta/contracts';
import { isMessageKey, type Translate } from '../../../lib/i18n/i18n';

function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** Who did it: the person's name (or email), or the API key by its name. */
export function auditActor(entry: AuditEntryView, t: Translate): string {
  const { actor } = entry;
  if (actor.type === 'apiKey') {
    return t('settings.auditApiKey', {
      name: actor.name ?? `…${(actor.apiKeyId ?? '').slice(-6)}`,
    });
  }
  return actor.name ?? actor.email ?? '—';
}

/** What was done, in words; an action this SPA does not know yet shows its code. */
export function auditAction(entry: AuditEntryView, t: Translate): string {
  return isAuditAction(entry.action) ? t(`audit.action.${entry.action}`) : entry.action;
}

/** What it was done to: its name now, the contact label, or its kind when it no longer exists. */
export function auditTarget(entry: AuditEntryView, t: Translate): string {
  const target = entry.target;
  if (!target) return '—';
  if (target.name) return target.name;
  const kindKey = `audit.target.${target.type}`;
  const kind = isMessageKey(kindKey) ? t(kindKey) : target.type;
  // A web visitor's conversation has no name to show: its kind, not "deleted".
  if (target.type === 'conversation') return kind;
  // A contact's id is its label ("whatsapp:•••• 1234"); anything else was deleted since.
  if (target.type === 'contact') return `${kind} ${target.id.split(':').slice(1).join(':')}`;
  return t('settings.auditDeleted', { kind });
}
