import { Injectable } from '@nestjs/common';
import { maskPhone, PHONE_CHANNELS } from '@conecta/contracts';
import type { Channel, ContactErasureResult, ContactExport } from '@conecta/contracts';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { AppError } from '../common/errors/app-error';
import { MediaService } from '../media/media.service';
import { InboxService } from '../whatsapp-webhook/inbox.service';
import { ConversationsService } from './conversations.service';

/** The audit target of a person: the channel and the masked number, never the number itself. */
function contactTarget(channel: Channel, visitorId: string): { type: string; id: string } {
  const label = PHONE_CHANNELS.includes(channel) ? maskPhone(visitorId) : null;
  return { type: 'contact', id: `${channel}:${label ?? `#${visitorId.slice(-6)}`}` };
}

/**
 * Export and erasure of one person, each recorded in the audit log. Erasure reaches every
 * collection that holds the person: conversations, messages and their kept files, the
 * WhatsApp inbox's raw events (dead letters included) and the labels of earlier audit entries.
 */
@Injectable()
export class ContactsService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly inbox: InboxService,
    private readonly audit: AuditService,
    private readonly media: MediaService,
  ) {}

  async export(auth: Actor, channel: Channel, visitorId: string): Promise<ContactExport> {
    const found = await this.conversations.exportContact(auth.workspaceId, channel, visitorId);
    if (found.conversations.length === 0 && !(await this.inInbox(auth, channel, visitorId))) {
      throw AppError.notFound('Contact');
    }
    const files = await this.media.exportConversations(
      auth.workspaceId,
      found.conversations.map((c) => c.id),
    );
    const data: ContactExport = { ...found, files };
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'contact.export',
      target: contactTarget(channel, visitorId),
      outcome: 'success',
      ip: auth.ip,
      metadata: { conversations: data.conversations.length },
    });
    return data;
  }

  async erase(auth: Actor, channel: Channel, visitorId: string): Promise<ContactErasureResult> {
    const { workspaceId } = auth;
    const known = await this.conversations.hasContact(workspaceId, channel, visitorId);
    if (!known && !(await this.inInbox(auth, channel, visitorId))) {
      throw AppError.notFound('Contact');
    }
    const conversationIds = await this.conversations.visitorConversationIds(
      workspaceId,
      channel,
      visitorId,
    );
    // Files first: once the messages are gone, nothing would point at them.
    const files = await this.media.eraseConversations(workspaceId, conversationIds);
    const deleted = await this.conversations.eraseContact(workspaceId, channel, visitorId);
    const inbox =
      channel === 'whatsapp' ? await this.inbox.eraseContact(workspaceId, visitorId) : 0;
    const erased = { type: 'contact', id: `${channel}:erased` };
    const audit = await this.audit.relabelTarget(
      workspaceId,
      contactTarget(channel, visitorId),
      erased.id,
    );
    const result: ContactErasureResult = {
      ...deleted,
      collections: {
        conversations: deleted.conversationsDeleted,
        messages: deleted.messagesDeleted,
        whatsapp_inbox: inbox,
        audit_log: audit,
        media_files: files,
      },
    };
    await this.audit.record({
      workspaceId,
      actor: auth,
      action: 'contact.erase',
      target: erased,
      outcome: 'success',
      ip: auth.ip,
      metadata: { ...result.collections },
    });
    return result;
  }

  private async inInbox(auth: Actor, channel: Channel, visitorId: string): Promise<boolean> {
    return channel === 'whatsapp' && (await this.inbox.hasContact(auth.workspaceId, visitorId));
  }
}
