import { type IndexDef, indexMigration } from './migration';

// Templates: one per (integration, name, language), listed by integration in name order.
const INDEXES: IndexDef[] = [
  {
    collection: 'whatsapp_templates',
    key: { integrationId: 1, name: 1, language: 1 },
    options: { name: 'integration_name_language_unique', unique: true },
  },
  {
    collection: 'whatsapp_templates',
    key: { workspaceId: 1, integrationId: 1, name: 1, language: 1 },
    options: { name: 'workspace_integration_name_language' },
  },
];

export const m0017Templates = indexMigration(
  '0017-templates',
  'WhatsApp message templates per integration',
  INDEXES,
);
