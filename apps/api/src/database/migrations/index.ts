import { m0001Init } from './0001-init';
import { m0004Accounts } from './0004-accounts';
import { m0005Integrations } from './0005-integrations';
import { m0006WhatsappInbox } from './0006-whatsapp-inbox';
import { m0007Conversations } from './0007-conversations';
import { m0008JobRuns } from './0008-job-runs';
import { m0010Team } from './0010-team';
import { m0011ConversationContacts } from './0011-conversation-contacts';
import { m0012AccountNoticesAndReplyParts } from './0012-account-notices-and-reply-parts';
import { m0013Agents } from './0013-agents';
import { m0014ConversationSearch } from './0014-conversation-search';
import { m0015MediaFiles } from './0015-media-files';
import { m0016WorkspaceObjectIds } from './0016-workspace-object-ids';
import { m0017Templates } from './0017-templates';
import { m0019IntegrationActivity } from './0019-integration-activity';
import { m0020RateCardsAndTemplateIds } from './0020-rate-cards-and-template-ids';
import { m0021MessageFailureMetaWords } from './0021-message-failure-meta-words';
import { m0023ConversationCounters } from './0023-conversation-counters';
import { m0024ThreadPhones } from './0024-thread-phones';
import type { Migration } from './migration';

/** Every migration, in the order it is applied. Append new ones at the end. */
export const MIGRATIONS: readonly Migration[] = [
  m0001Init,
  m0004Accounts,
  m0005Integrations,
  m0006WhatsappInbox,
  m0007Conversations,
  m0008JobRuns,
  m0010Team,
  m0011ConversationContacts,
  m0012AccountNoticesAndReplyParts,
  m0013Agents,
  m0014ConversationSearch,
  m0015MediaFiles,
  m0016WorkspaceObjectIds,
  m0017Templates,
  m0019IntegrationActivity,
  m0020RateCardsAndTemplateIds,
  m0021MessageFailureMetaWords,
  m0023ConversationCounters,
  m0024ThreadPhones,
];

// Ids must sort in apply order, so that a reader (and `npm run migrate status`) sees history as it ran.
const outOfOrder = MIGRATIONS.findIndex((m, i) => i > 0 && m.id <= (MIGRATIONS[i - 1]?.id ?? ''));
if (outOfOrder !== -1) {
  throw new Error(`migration ${MIGRATIONS[outOfOrder]?.id} is out of order in MIGRATIONS`);
}
