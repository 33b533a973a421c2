import { type Channel, maskPhone, PHONE_CHANNELS } from '@conecta/contracts';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import type { WorkspaceId } from '../common/workspace-id';
import { workspaceOid } from '../database/repository-helpers';

/** Where the name of each kind of audited thing lives, and how to read it from a stored row. */
const SOURCES: Record<
  string,
  { collection: string; name: (doc: Record<string, unknown>) => unknown }
> = {
  user: { collection: 'users', name: (d) => d.name || d.email },
  apiKey: { collection: 'api_keys', name: (d) => d.name },
  chatbot: { collection: 'chatbots', name: (d) => d.name },
  integration: {
    collection: 'integrations',
    name: (d) =>
      (d.connection as { displayPhoneNumber?: unknown } | null)?.displayPhoneNumber ??
      d.phoneNumberId,
  },
  invitation: { collection: 'invitations', name: (d) => d.email },
  // The contact as the list shows it: its name, else its masked phone (a web visitor has neither).
  conversation: {
    collection: 'conversations',
    name: (d) =>
      d.contactName ||
      (PHONE_CHANNELS.includes(d.channel as Channel) ? maskPhone(d.visitorId as string) : null),
  },
};

/**
 * The current names of what audit entries point at (users, API keys, chatbots, integrations,
 * invitations), read by id within one workspace. The audit log stores ids only, so a renamed
 * chatbot shows its new name and a deleted one none.
 */
@Injectable()
export class AuditNamesRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** `type:id` → name, for the given ids of each type. */
  async namesOf(
    workspaceId: WorkspaceId,
    ids: { type: string; id: string }[],
  ): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const byType = new Map<string, Types.ObjectId[]>();
    for (const { type, id } of ids) {
      if (!SOURCES[type] || !Types.ObjectId.isValid(id) || id.length !== 24) continue;
      byType.set(type, [...(byType.get(type) ?? []), new Types.ObjectId(id)]);
    }
    for (const [type, list] of byType) {
      const source = SOURCES[type];
      if (!source) continue;
      const docs = await this.connection
        .collection(source.collection)
        .find({ workspaceId: workspaceOid(workspaceId), _id: { $in: list } })
        .toArray();
      for (const doc of docs) {
        const name = source.name(doc as Record<string, unknown>);
        if (typeof name === 'string' && name !== '') names.set(`${type}:${String(doc._id)}`, name);
      }
    }
    return names;
  }
}
