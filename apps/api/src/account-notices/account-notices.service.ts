import { Inject, Injectable } from '@nestjs/common';
import {
  type AccountHealth,
  type AccountStanding,
  RECENT_TEMPLATES,
  QUALITY_EVENTS,
  TEMPLATE_EVENTS,
  ALERT_TYPES,
} from '@conecta/contracts';
import type { AccountNotice, AccountNoticeEvent } from '@conecta/graph-client';
import { CLOCK, type Clock } from '../common/clock';
import type { WorkspaceId } from '../common/workspace-id';
import { AccountNoticesRepository } from './account-notices.repository';

/** What the notice routing needs to know of an integration. */
export interface NoticeTarget {
  id: string;
  workspaceId: WorkspaceId;
  phoneNumberId: string;
  /** As Meta showed it at the last test; null when never tested. */
  displayPhoneNumber: string | null;
}

/** How many alert notices are read to find the open ones. */
const ALERT_WINDOW = 50;
/** How many account_update notices are read to find the latest standing, violation, verification. */
const ACCOUNT_WINDOW = 50;

const STANDING_EVENTS = new Set(['ACCOUNT_RESTRICTION', 'DISABLED_UPDATE', 'ACCOUNT_DELETED']);

function digits(value: string | null | undefined): string {
  return (value ?? '').replace(/\D/g, '');
}

/** The phone number a change names, if any (display number or phone-number entity). */
function namedNumber(notice: AccountNotice): { display?: string; phoneNumberId?: string } {
  switch (notice.field) {
    case 'phone_number_quality_update':
    case 'phone_number_name_update':
      return { display: notice.displayPhoneNumber };
    case 'account_update':
      return { display: notice.phoneNumber };
    case 'account_alerts':
      return notice.entityType === 'PHONE_NUMBER' ? { phoneNumberId: notice.entityId } : {};
    case 'message_template_status_update':
    case 'template_category_update':
      return {};
  }
}

/**
 * The integrations a change is about: those of the number it names, else every integration of the
 * WABA. A named display number that no known number matches goes to the WABA's integrations whose
 * number is not known yet (never tested), else to none.
 */
export function noticeTargets<T extends NoticeTarget>(
  notice: AccountNotice,
  ofWaba: readonly T[],
): T[] {
  const named = namedNumber(notice);
  if (named.phoneNumberId) return ofWaba.filter((i) => i.phoneNumberId === named.phoneNumberId);
  const wanted = digits(named.display);
  if (!wanted) return [...ofWaba];
  const matched = ofWaba.filter((i) => digits(i.displayPhoneNumber) === wanted);
  return matched.length > 0 ? matched : ofWaba.filter((i) => !i.displayPhoneNumber);
}

/** A bounded metric label for a notice: its event when Conecta knows it, else `other`. */
export function noticeKind(notice: AccountNotice): string {
  const known = (list: readonly string[], value: string) =>
    list.includes(value) ? value.toLowerCase() : 'other';
  switch (notice.field) {
    case 'message_template_status_update':
      return known(TEMPLATE_EVENTS, notice.event);
    case 'template_category_update':
      return notice.newCategory ? 'applied' : 'announced';
    case 'phone_number_quality_update':
      return known(QUALITY_EVENTS, notice.event);
    case 'account_alerts':
      return known(ALERT_TYPES, notice.alertType);
    case 'account_update':
      return known(
        [...STANDING_EVENTS, 'ACCOUNT_VIOLATION', 'PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE'],
        notice.event,
      );
    case 'phone_number_name_update':
      return known(['APPROVED', 'REJECTED', 'DEFERRED', 'PENDING'], notice.decision);
  }
}

/** Where an account stands after a restriction, ban or deletion notice. */
export function standingOf(
  notice: Extract<AccountNotice, { field: 'account_update' }>,
  now: Date,
): AccountStanding {
  if (notice.event === 'ACCOUNT_DELETED') return 'deleted';
  if (notice.event === 'DISABLED_UPDATE') {
    if (notice.banState === 'DISABLE') return 'banned';
    if (notice.banState === 'SCHEDULE_FOR_DISABLE') return 'ban_scheduled';
    // REINSTATE, or a state Meta added later: not a block Conecta can name.
    return 'ok';
  }
  // ACCOUNT_RESTRICTION: restricted while one of its restrictions has not expired.
  const live = notice.restrictions.filter((r) => {
    if (!r.expiration) return true;
    const at = /^\d+$/.test(r.expiration)
      ? Number(r.expiration) * 1000
      : Date.parse(r.expiration.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return !Number.isFinite(at) || at > now.getTime();
  });
  return live.length > 0 ? 'restricted' : 'ok';
}

/** Stores what Meta's management webhooks say per integration and reads the account's state back. */
@Injectable()
export class AccountNoticesService {
  constructor(
    private readonly repo: AccountNoticesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** One notice per target integration, once per inbox event (`key`). */
  async record(
    key: string,
    event: AccountNoticeEvent,
    targets: readonly NoticeTarget[],
    receivedAt: Date,
  ): Promise<number> {
    const seconds = Number(event.time);
    const at =
      Number.isFinite(seconds) && seconds > 0 && seconds * 1000 <= receivedAt.getTime()
        ? new Date(seconds * 1000)
        : receivedAt;
    return this.repo.insertOnce(
      targets.map((t) => ({
        key: `${key}|${t.id}`,
        workspaceId: t.workspaceId,
        integrationId: t.id,
        field: event.notice.field,
        at,
        receivedAt,
        notice: event.notice,
      })),
    );
  }

  /** Where the account stands now by Meta's latest restriction, ban or deletion notice; null if none. */
  async currentStanding(
    workspaceId: WorkspaceId,
    integrationId: string,
  ): Promise<AccountStanding | null> {
    const account = await this.repo.latest(
      workspaceId,
      integrationId,
      'account_update',
      ACCOUNT_WINDOW,
    );
    const standing = account.find((d) => STANDING_EVENTS.has(d.notice.event));
    return standing ? standingOf(standing.notice, this.clock.now()) : null;
  }

  /** The account's state from the latest notices of each kind (equality lookups, newest first). */
  async healthOf(workspaceId: WorkspaceId, integrationId: string): Promise<AccountHealth> {
    const now = this.clock.now();
    const [quality, account, alerts, templates, names] = await Promise.all([
      this.repo.latest(workspaceId, integrationId, 'phone_number_quality_update', 1),
      this.repo.latest(workspaceId, integrationId, 'account_update', ACCOUNT_WINDOW),
      this.repo.latest(workspaceId, integrationId, 'account_alerts', ALERT_WINDOW),
      this.repo.latest(
        workspaceId,
        integrationId,
        'message_template_status_update',
        RECENT_TEMPLATES,
      ),
      this.repo.latest(workspaceId, integrationId, 'phone_number_name_update', 1),
    ]);
    const iso = (d: Date) => d.toISOString();
    const q = quality[0];
    const standing = account.find((d) => STANDING_EVENTS.has(d.notice.event));
    const violation = account.find((d) => d.notice.event === 'ACCOUNT_VIOLATION');
    const verification = account.find((d) => d.notice.verificationStatus !== undefined);
    const seen = new Set<string>();
    const openAlerts: AccountHealth['alerts'] = [];
    for (const d of alerts) {
      // The newest notice of each alert type decides whether it is still open.
      if (seen.has(d.notice.alertType)) continue;
      seen.add(d.notice.alertType);
      if ((d.notice.status ?? 'ACTIVE') !== 'ACTIVE') continue;
      openAlerts.push({
        type: d.notice.alertType,
        severity: d.notice.severity ?? null,
        description: d.notice.description ?? null,
        at: iso(d.at),
      });
    }
    const name = names[0];
    return {
      quality: q
        ? {
            event: q.notice.event,
            limit: q.notice.limit ?? null,
            oldLimit: q.notice.oldLimit ?? null,
            at: iso(q.at),
          }
        : null,
      standing: standing
        ? {
            state: standingOf(standing.notice, now),
            event: standing.notice.event,
            restrictions: standing.notice.restrictions.map((r) => ({
              type: r.type,
              expiration: r.expiration ?? null,
            })),
            banState: standing.notice.banState ?? null,
            banDate: standing.notice.banDate ?? null,
            at: iso(standing.at),
          }
        : null,
      violation: violation
        ? { type: violation.notice.violationType ?? 'UNKNOWN', at: iso(violation.at) }
        : null,
      alerts: openAlerts,
      templates: templates.map((d) => ({
        name: d.notice.templateName ?? null,
        language: d.notice.language ?? null,
        event: d.notice.event,
        reason: d.notice.reason ?? null,
        detail: d.notice.rejectionDetail ?? d.notice.description ?? null,
        at: iso(d.at),
      })),
      displayName: name
        ? {
            decision: name.notice.decision,
            requestedName: name.notice.requestedName ?? null,
            rejectionReason: name.notice.rejectionReason ?? null,
            at: iso(name.at),
          }
        : null,
      verification: verification
        ? {
            status: verification.notice.verificationStatus ?? 'UNKNOWN',
            rejections: verification.notice.verificationRejections ?? [],
            at: iso(verification.at),
          }
        : null,
    };
  }
}
