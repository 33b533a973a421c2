import { type IndexDef, indexMigration } from './migration';

// One rate card per workspace; template webhooks find a stored template by Meta's id.
const INDEXES: IndexDef[] = [
  {
    collection: 'rate_cards',
    key: { workspaceId: 1 },
    options: { name: 'rate_cards_workspace_unique', unique: true },
  },
  {
    collection: 'whatsapp_templates',
    key: { workspaceId: 1, integrationId: 1, metaId: 1 },
    options: { name: 'workspace_integration_meta_id' },
  },
];

export const m0020RateCardsAndTemplateIds = indexMigration(
  '0020-rate-cards-and-template-ids',
  'Rate cards (one per workspace) and template lookup by Meta id',
  INDEXES,
);
