import type { AccountNotice } from '@conecta/graph-client';
import type { ObjectId } from 'mongodb';

export const ACCOUNT_NOTICES_COLLECTION = 'whatsapp_account_notices';

/**
 * One management change (template, account, quality, alert, display name) as it applies to one
 * integration. Written once per (inbox event, integration) by a unique `key`; never updated: the
 * account's state is read from the latest notices, so concurrent notices cannot overwrite each other.
 */
export interface AccountNoticeDoc {
  _id: ObjectId;
  /** `<inbox key>|<integration id>`. */
  key: string;
  workspaceId: ObjectId;
  integrationId: string;
  field: AccountNotice['field'];
  /** Meta's time (`entry[].time`), else when it arrived. */
  at: Date;
  receivedAt: Date;
  notice: AccountNotice;
}
