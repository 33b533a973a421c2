import type { AccountNotice } from '@conecta/graph-client';
import { workspaceIdOf } from '../common/workspace-id';
import { noticeKind, noticeTargets, standingOf } from './account-notices.service';

const ONE = {
  id: 'i1',
  workspaceId: workspaceIdOf('111111111111111111111111'),
  phoneNumberId: '111',
  displayPhoneNumber: '+1 555-010-0201',
};
const TWO = {
  id: 'i2',
  workspaceId: workspaceIdOf('222222222222222222222222'),
  phoneNumberId: '222',
  displayPhoneNumber: '+1 555-010-0202',
};
const UNTESTED = {
  id: 'i3',
  workspaceId: workspaceIdOf('333333333333333333333333'),
  phoneNumberId: '333',
  displayPhoneNumber: null,
};

const restriction = (expiration?: string): Extract<AccountNotice, { field: 'account_update' }> => ({
  field: 'account_update',
  event: 'ACCOUNT_RESTRICTION',
  restrictions: [
    { type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', ...(expiration ? { expiration } : {}) },
  ],
});

describe('noticeTargets (which integrations a management change is about)', () => {
  it('a WABA-wide change (template, account) goes to every integration of the WABA', () => {
    const notice: AccountNotice = { field: 'message_template_status_update', event: 'APPROVED' };
    expect(noticeTargets(notice, [ONE, TWO])).toEqual([ONE, TWO]);
  });

  it('a change naming a display number goes to that number only, whatever its format', () => {
    const notice: AccountNotice = {
      field: 'phone_number_quality_update',
      event: 'FLAGGED',
      displayPhoneNumber: '15550100202',
    };
    expect(noticeTargets(notice, [ONE, TWO, UNTESTED])).toEqual([TWO]);
  });

  it('a number nobody knows goes to the never-tested integrations, else to none', () => {
    const notice: AccountNotice = {
      field: 'phone_number_name_update',
      decision: 'APPROVED',
      displayPhoneNumber: '15550109999',
    };
    expect(noticeTargets(notice, [ONE, UNTESTED])).toEqual([UNTESTED]);
    expect(noticeTargets(notice, [ONE, TWO])).toEqual([]);
  });

  it('a phone-number alert goes to the integration of that phone number id', () => {
    const notice: AccountNotice = {
      field: 'account_alerts',
      alertType: 'OBA_APPROVED',
      entityType: 'PHONE_NUMBER',
      entityId: '111',
    };
    expect(noticeTargets(notice, [ONE, TWO])).toEqual([ONE]);
  });
});

describe('standingOf', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  it('is restricted until the restriction expires (ISO with +0000, or unix seconds)', () => {
    expect(standingOf(restriction('2026-12-03T00:00:00+0000'), now)).toBe('restricted');
    expect(standingOf(restriction('2026-12-01T00:00:00+0000'), now)).toBe('ok');
    expect(standingOf(restriction(String(now.getTime() / 1000 + 60)), now)).toBe('restricted');
    expect(standingOf(restriction(), now)).toBe('restricted');
    expect(standingOf({ ...restriction(), restrictions: [] }, now)).toBe('ok');
  });

  it('reads ban states, deletion and a ban state Meta adds later', () => {
    const ban = (banState: string) =>
      standingOf(
        { field: 'account_update', event: 'DISABLED_UPDATE', restrictions: [], banState },
        now,
      );
    expect(ban('DISABLE')).toBe('banned');
    expect(ban('SCHEDULE_FOR_DISABLE')).toBe('ban_scheduled');
    expect(ban('REINSTATE')).toBe('ok');
    expect(ban('SOMETHING_NEW')).toBe('ok');
    expect(
      standingOf({ field: 'account_update', event: 'ACCOUNT_DELETED', restrictions: [] }, now),
    ).toBe('deleted');
  });
});

describe('noticeKind (a bounded metric label)', () => {
  it('is the known event in lower case, else "other"', () => {
    expect(noticeKind({ field: 'phone_number_quality_update', event: 'DOWNGRADE' })).toBe(
      'downgrade',
    );
    expect(noticeKind({ field: 'phone_number_quality_update', event: 'x'.repeat(500) })).toBe(
      'other',
    );
    expect(noticeKind({ field: 'account_alerts', alertType: 'OBA_REJECTED' })).toBe('oba_rejected');
    expect(
      noticeKind({ field: 'account_update', event: 'ACCOUNT_RESTRICTION', restrictions: [] }),
    ).toBe('account_restriction');
  });
});
